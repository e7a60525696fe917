/* termbank pages: search as you type, and finding a concept by any of its terms on the
   proposal form. Everything here only adds to forms that work without JavaScript. */
"use strict";

function debounced(wait, action) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => action(...args), wait);
  };
}

async function fetchJson(url, signal) {
  const response = await fetch(url, { headers: { accept: "application/json" }, signal });
  if (!response.ok) throw new Error(`${response.status}`);
  return response.json();
}

/* The lookup box: matching terms of any language offered in a datalist while typing. */
function suggestTerms(input) {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list) return;
  let pending = null;
  input.addEventListener("input", debounced(200, async () => {
    const text = input.value.trim();
    if (pending) pending.abort();
    if (text.length < 2) { list.replaceChildren(); return; }
    pending = new AbortController();
    try {
      const url = `${input.dataset.suggest}?q=${encodeURIComponent(text)}`;
      const found = await fetchJson(url, pending.signal);
      list.replaceChildren(...found.map((s) => {
        const option = document.createElement("option");
        option.value = s.term;
        option.label = `${s.term} (${s.tag})`;
        return option;
      }));
    } catch (error) {
      if (error.name !== "AbortError") list.replaceChildren();
    }
  }));
}

/* The proposal form: the concepts named by the typed term, offered as radio buttons. */
function findConcepts(input) {
  const box = document.getElementById("tb-candidates");
  const dialect = document.getElementById("tb-tag");
  if (!box || !dialect) return;
  let pending = null;
  const show = debounced(250, async () => {
    const text = input.value.trim();
    if (pending) pending.abort();
    if (text.length < 2) { box.replaceChildren(); return; }
    pending = new AbortController();
    const tag = dialect.value || "en";
    try {
      const url = `${input.dataset.lookup}?q=${encodeURIComponent(text)}&to=${encodeURIComponent(tag)}`;
      const matches = await fetchJson(url, pending.signal);
      box.replaceChildren(candidates(matches, tag, input.dataset));
    } catch (error) {
      if (error.name !== "AbortError") box.replaceChildren();
    }
  });
  input.addEventListener("input", show);
  dialect.addEventListener("change", show);
}

function candidates(matches, tag, words) {
  const note = document.createElement("p");
  note.className = "tb-none";
  if (matches.length === 0) { note.textContent = words.none; return note; }
  const set = document.createElement("fieldset");
  set.className = "tb-candidates";
  const legend = document.createElement("legend");
  legend.textContent = words.found;
  set.append(legend);
  matches.forEach((match, index) => {
    const id = `tb-c-${match.concept}`;
    const line = document.createElement("p");
    const radio = document.createElement("input");
    Object.assign(radio, { type: "radio", name: "concept", id, value: match.concept,
                           checked: matches.length === 1 || index === 0, required: true });
    const label = document.createElement("label");
    label.htmlFor = id;
    const english = (match.variants.en || []).find((a) => a.status === "preferred");
    const own = (match.translations[tag] || []).find((a) => ["preferred", "admitted"].includes(a.status));
    const name = document.createElement("span");
    name.textContent = own ? own.term : (english ? english.term : match.concept);
    if (own) name.lang = own.tag;
    label.append(name);
    const definition = match.definitions[tag.split("-")[0]] || match.definition || "";
    const words = definition.split(/\s+/).slice(0, 10).join(" ");
    if (english && own && english.term !== own.term) label.append(` (${english.term})`);
    if (words) label.append(` · ${words} …`);
    line.append(radio, " ", label);
    set.append(line);
  });
  return set;
}

document.addEventListener("DOMContentLoaded", () => {
  const lookup = document.getElementById("tb-q");
  if (lookup && lookup.dataset.suggest) suggestTerms(lookup);
  const find = document.getElementById("tb-find");
  if (find) findConcepts(find);
});
