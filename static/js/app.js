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

// Focus after a page load (WCAG 2.4.3, 3.3.1, 4.1.3). The server renders everything; this
// only moves focus and announces:
// - a refused form: its error summary (whose links lead to the fields) takes focus;
// - a message after an action (a reply sent, a post reported or hidden, logged in): focus
//   goes where the person acts next, the post in the URL's fragment (#p3) or else the
//   page's heading, and the message is read out. Its alert is a live region (role=status),
//   but one already there when the page loads is not announced: so its content is put in
//   again once focus has moved. The text is swapped within one task: it is on the page once,
//   at every moment.
function focusOn(element) {
  if (!element) return false;
  if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
    element.setAttribute("tabindex", "-1");
  }
  element.focus();
  return document.activeElement === element;
}

function fragmentTarget() {
  let id = "";
  try {
    id = decodeURIComponent(window.location.hash.slice(1));
  } catch (error) {
    return null;
  }
  return id ? document.getElementById(id) : null;
}

function announce(alerts) {
  window.setTimeout(() => {
    for (const alert of alerts) {
      alert.replaceChildren(...Array.from(alert.childNodes, (node) => node.cloneNode(true)));
      alert.dataset.announced = "";
    }
  }, 150);
}

(function placeFocus() {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    focusOn(summary);
    return;
  }
  const alerts = Array.from(document.querySelectorAll("main .messages .ds-alert"));
  if (!alerts.length) return;
  const refused = alerts.find((alert) => alert.dataset.color === "danger");
  if (refused) {
    focusOn(refused);
    return;
  }
  focusOn(fragmentTarget() || document.querySelector("main h1"));
  announce(alerts);
})();

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
