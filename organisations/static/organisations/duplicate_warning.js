/* The duplicate warning on the add-person form: while a name is typed, people already
   recorded under a name like it (in any script) are listed with their other names and last
   event. "Use this person" picks the existing record (in a popup, for the form that opened
   it); "It is someone else" is kept in a hidden field and noted in the history on save. */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const input = document.querySelector("input[data-similar-url]");
  if (!input) return;
  const texts = JSON.parse(input.dataset.similarTexts);
  const declined = document.querySelector("input[name=not_duplicate_of]");
  const box = document.createElement("div");
  box.id = "duplicate-warning";
  box.setAttribute("role", "status");
  box.setAttribute("aria-live", "polite");
  box.hidden = true;
  input.closest(".form-row, .fieldBox, div").after(box);
  let timer = null;
  let asked = "";

  function declinedIds() {
    return declined && declined.value ? declined.value.split(",") : [];
  }

  function element(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value));
    if (text) node.textContent = text;
    return node;
  }

  function usePerson(candidate) {
    const params = new URLSearchParams(window.location.search);
    if (window.opener && params.has("_popup") && window.opener.dismissAddRelatedObjectPopup) {
      window.opener.dismissAddRelatedObjectPopup(window, String(candidate.id), candidate.name);
    } else {
      window.location.href = candidate.url;
    }
  }

  function show(candidates) {
    const shown = candidates.filter((c) => !declinedIds().includes(String(c.id)));
    box.replaceChildren();
    box.hidden = shown.length === 0;
    if (box.hidden) return;
    box.append(element("p", { class: "duplicate-title" }, texts.title));
    const list = element("ul");
    shown.forEach((candidate) => {
      const item = element("li", { class: "duplicate-candidate", "data-person": candidate.id });
      const name = element("a", { href: candidate.url, target: "_blank", rel: "noopener", title: texts.open }, candidate.name);
      item.append(name, " (" + candidate.status + ")");
      if (candidate.other_names.length) {
        item.append(element("div", {}, texts.other_names + ": " + candidate.other_names.join(", ")));
      }
      item.append(element("div", {}, texts.last_event + ": " + (candidate.last_event || texts.none)));
      const actions = element("div", { class: "duplicate-actions" });
      const use = element("button", { type: "button", class: "button default duplicate-use" }, texts.use);
      use.addEventListener("click", () => usePerson(candidate));
      const other = element("button", { type: "button", class: "button duplicate-other" }, texts.someone_else);
      other.addEventListener("click", () => {
        if (declined) declined.value = [...declinedIds(), String(candidate.id)].join(",");
        item.replaceChildren(element("span", { class: "duplicate-noted" }, candidate.name + ": " + texts.noted));
      });
      actions.append(use, " ", other);
      item.append(actions);
      list.append(item);
    });
    box.append(list);
  }

  function ask() {
    const name = input.value.trim();
    if (name === asked) return;
    asked = name;
    if (name.length < 3) { show([]); return; }
    const url = input.dataset.similarUrl + "?" + new URLSearchParams({ name: name });
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((answer) => (answer.ok ? answer.json() : { candidates: [] }))
      .then((data) => { if (input.value.trim() === name) show(data.candidates); })
      .catch(() => show([]));
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 300);
  });
  input.addEventListener("blur", ask);
  if (input.value) ask();
});
