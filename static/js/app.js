// Erfaringsforum: progressive enhancements only. Every form and link works without this file.
"use strict";

// Forum: "Quote" fills the reply box on the same page instead of opening the reply page.
// The server renders the quote (reply page with ?quote=<post id>); we take its textarea.
document.addEventListener("click", async (event) => {
  const link = event.target.closest("a[data-quote]");
  const box = document.querySelector(".reply textarea[name=body]");
  if (!link || !box || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  try {
    const response = await fetch(link.href, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const quoted = page.querySelector("textarea[name=body]");
    if (!quoted) throw new Error("no quote");
    const before = box.value.trim() ? box.value.replace(/\s*$/, "\n\n") : "";
    box.value = before + quoted.value;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    box.scrollIntoView({ block: "center" });
  } catch (error) {
    window.location.href = link.href; // the page without JavaScript does the same
  }
});

// Header menus (<details data-menu>): they open and close without this file; here Escape
// closes the innermost open one and gives focus back to its button, and a click outside
// closes them.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = [...document.querySelectorAll("details[data-menu][open]")];
  const menu = open.reverse().find((m) => m.contains(document.activeElement)) || open[0];
  if (!menu) return;
  menu.open = false;
  menu.querySelector("summary").focus();
});
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details[data-menu][open]")) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});
