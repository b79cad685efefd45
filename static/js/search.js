// Erfaringsforum search: similar threads while a new thread's title is typed.
// Progressive enhancement: without this file the form works as before. The page opts in with
// <div data-similar-threads="URL of forum:similar-threads"></div>; the title field is the
// form's input[name=title]. The server answers with an escaped HTML fragment (or nothing).
"use strict";

(() => {
  const DELAY_MS = 350;
  const MIN_LENGTH = 3;

  function enhance(container) {
    const url = container.dataset.similarThreads;
    const title = document.querySelector("form input[name=title]");
    if (!url || !title) return;
    // Show the suggestions right under the title field, where the writer is looking.
    const field = title.closest(".field") || title;
    field.after(container);
    container.classList.add("similar-threads-slot");
    container.setAttribute("aria-live", "polite");

    let timer = null;
    let controller = null;
    let lastAsked = "";

    async function ask() {
      const text = title.value.trim();
      if (text === lastAsked) return;
      lastAsked = text;
      if (controller) controller.abort();
      if (text.length < MIN_LENGTH) {
        container.replaceChildren();
        return;
      }
      controller = new AbortController();
      try {
        const response = await fetch(`${url}?${new URLSearchParams({ title: text })}`, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
          signal: controller.signal,
        });
        if (!response.ok) return;
        const html = await response.text();
        const fragment = new DOMParser().parseFromString(html, "text/html");
        container.replaceChildren(...fragment.body.childNodes);
      } catch (error) {
        if (error.name !== "AbortError") container.replaceChildren();
      }
    }

    title.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    if (title.value.trim()) ask(); // a form shown again with its text keeps its suggestions
  }

  document.querySelectorAll("[data-similar-threads]").forEach(enhance);
})();
