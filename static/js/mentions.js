// Erfaringsforum mentions: suggestions of colleagues while "@name" is typed in a post's text.
// Progressive enhancement: without this file "@ola.nordmann" typed by hand works the same.
// A textarea opts in with data-mentions="URL of forum:mention-suggestions", which answers
// {"people": [{"handle", "name", "unit"}]} for ?q=<what follows the @>.
"use strict";

(() => {
  const DELAY_MS = 200;
  const TYPED = /(^|[^\w@.+-])@([\w.-]{1,40})$/u;
  let counter = 0;

  function enhance(box) {
    const url = box.dataset.mentions;
    if (!url) return;
    counter += 1;
    const list = document.createElement("ul");
    list.id = `mention-suggestions-${counter}`;
    list.className = "mention-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.dataset.mentionsLabel || "Colleagues");
    list.hidden = true;
    box.after(list);
    // A textarea cannot be a combobox (aria-expanded is not allowed on it): it controls the
    // list and points at the highlighted option; a polite status says how many there are.
    const status = document.createElement("div");
    status.className = "ds-sr-only";
    status.setAttribute("role", "status");
    list.after(status);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", list.id);

    let timer = null;
    let controller = null;
    let people = [];
    let active = -1;
    let typedStart = -1;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      people = [];
      active = -1;
      status.textContent = "";
      box.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      [...list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
      if (index >= 0) box.setAttribute("aria-activedescendant", list.children[index].id);
      else box.removeAttribute("aria-activedescendant");
    }

    function choose(index) {
      const person = people[index];
      if (!person || typedStart < 0) return;
      const caret = box.selectionStart;
      const before = box.value.slice(0, typedStart);
      const after = box.value.slice(caret);
      const inserted = `@${person.handle} `;
      box.value = before + inserted + after.replace(/^\s+/, "");
      const position = before.length + inserted.length;
      box.setSelectionRange(position, position);
      close();
      box.focus();
    }

    function show(found) {
      people = found;
      list.replaceChildren(
        ...found.map((person, i) => {
          const item = document.createElement("li");
          item.id = `${list.id}-${i}`;
          item.setAttribute("role", "option");
          item.setAttribute("aria-selected", "false");
          item.dataset.handle = person.handle;
          const name = document.createElement("span");
          name.className = "mention-suggestions__name";
          name.textContent = person.name;
          const detail = document.createElement("span");
          detail.className = "mention-suggestions__detail";
          detail.textContent = ` @${person.handle}${person.unit ? `, ${person.unit}` : ""}`;
          item.append(name, detail);
          item.addEventListener("mousedown", (event) => {
            event.preventDefault(); // keep the focus (and the caret) in the text
            choose(i);
          });
          return item;
        }),
      );
      list.hidden = found.length === 0;
      status.textContent = found.length ? `${found.length} ${box.dataset.mentionsFound || "suggestions"}` : "";
      highlight(found.length ? 0 : -1);
    }

    async function ask() {
      const match = TYPED.exec(box.value.slice(0, box.selectionStart));
      if (!match) {
        close();
        return;
      }
      typedStart = box.selectionStart - match[2].length - 1;
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const response = await fetch(`${url}?${new URLSearchParams({ q: match[2] })}`, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
          signal: controller.signal,
        });
        if (!response.ok) {
          close();
          return;
        }
        show((await response.json()).people || []);
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }

    box.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    box.addEventListener("keydown", (event) => {
      if (list.hidden || !people.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + people.length) % people.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        if (active < 0) return;
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    box.addEventListener("blur", () => setTimeout(close, 150));
  }

  document.querySelectorAll("textarea[data-mentions]").forEach(enhance);
})();
