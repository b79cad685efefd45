// Names for the Django admin's filter_horizontal boxes, which axe finds unnamed or
// mislabelled (loaded deferred by templates/admin/base_site.html, so its load handler runs
// after SelectFilter2's). select2's boxes: admin-autocomplete-labels.js.
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
});
