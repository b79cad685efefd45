// Names for two of the Django admin's script-built widgets, which axe finds unnamed
// (loaded deferred by templates/admin/base_site.html, so its load handler runs after
// SelectFilter2's, and select2 is built by then).
"use strict";

window.addEventListener("load", () => {
  // filter_horizontal (SelectFilter2): the field's <label for="id_X"> points at the select
  // it renamed to id_X_to; its search icons carry an aria-label without a role.
  document.querySelectorAll(".selector").forEach((selector) => {
    const chosen = selector.querySelector("select[id$='_to']");
    if (!chosen) return;
    const id = chosen.id.slice(0, -"_to".length);
    const label = document.querySelector(`label[for="${id}"]`);
    if (label && !document.getElementById(id)) label.htmlFor = `${id}_from`;
  });
  document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach((icon) => {
    icon.setAttribute("role", "img");
  });

  // autocomplete_fields (select2): the combobox and the text box inside it are named by
  // the chosen value only, so an empty one has no name; the field's label names them first.
  document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
    const label = document.querySelector(`label[for="${select.id}"]`);
    const container = select.nextElementSibling;
    if (!label || !container) return;
    label.id = label.id || `${select.id}_label`;
    container.querySelectorAll("[role='combobox'], [role='textbox']").forEach((combobox) => {
      const named = (combobox.getAttribute("aria-labelledby") || "").split(/\s+/);
      if (!named.includes(label.id)) {
        combobox.setAttribute("aria-labelledby", [label.id, ...named].join(" ").trim());
      }
    });
  });
});
