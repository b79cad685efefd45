/* The Django admin's search-as-you-type boxes (select2) take the name of their field's label.
   select2 names its combobox after the chosen value only, so a screen reader (and axe) finds a
   combobox without a name. Runs after the admin has set the boxes up (jQuery's ready, which is
   always before the window's load event has finished). */
(function () {
  "use strict";

  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var box = select.nextElementSibling;
      if (!label || !box || !box.classList.contains("select2")) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "_label";
      }
      var selection = box.querySelector(".select2-selection");
      var rendered = box.querySelector(".select2-selection__rendered");
      if (selection) {
        var shown = rendered && rendered.id ? " " + rendered.id : "";
        selection.setAttribute("aria-labelledby", label.id + shown);
      }
      if (rendered) {
        /* The chosen value, read as part of the name: not a text box of its own. */
        rendered.removeAttribute("role");
        rendered.removeAttribute("aria-readonly");
      }
      box.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-labelledby", label.id);
      });
    });
  }

  window.addEventListener("load", function () {
    window.setTimeout(nameBoxes, 0);
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest(".select2")) {
      nameBoxes();
    }
  });
})();
