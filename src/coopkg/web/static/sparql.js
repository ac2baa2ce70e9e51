// The SPARQL editor: YASGUI from its npm package, the project's prefixes, the saved queries as
// examples, results whose IRIs are shown by their labels (from /api/labels) and link to their pages.
(function () {
  "use strict";
  const el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") return;
  const endpoint = el.dataset.endpoint;
  const prefixes = JSON.parse(el.dataset.prefixes);
  const examples = JSON.parse(el.dataset.examples);
  const lang = el.dataset.lang;
  const header = Object.entries(prefixes).map(([p, ns]) => `PREFIX ${p}: <${ns}>`).join("\n");
  const start = `${header}

SELECT ?funding ?funder ?funded ?amount ?currency WHERE {
  ?funding a coopkg:Funding ; coopkg:funder ?funder ; coopkg:fundedItem ?funded .
  OPTIONAL { ?funding coopkg:amount [ coopkg:value ?amount ; coopkg:currency ?currency ] }
}
LIMIT 100
`;
  Yasgui.Yasr.defaults.prefixes = prefixes;
  if (Yasgui.Yasr.plugins.table) Yasgui.Yasr.plugins.table.defaults.openIriInNewWindow = false;
  const yasgui = new Yasgui(el, {
    requestConfig: {endpoint, method: "POST"},
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {getData: () => [{endpoint}], keys: []},
    yasqe: {value: start},
    yasr: {prefixes},
  });

  function open(name) {
    const example = examples.find((e) => e.name === name);
    if (!example) return;
    const tab = yasgui.addTab(true, {...Yasgui.Tab.getDefaults(), name: example.name});
    tab.setQuery(example.query);
    tab.setEndpoint(endpoint);
  }
  document.getElementById("examples-form").addEventListener("submit", (event) => {
    event.preventDefault();
    open(document.getElementById("examples").value);
  });
  const asked = new URLSearchParams(location.search).get("example");
  if (asked) {
    document.getElementById("examples").value = asked;
    open(asked);
  }

  // Labels instead of IRIs in result tables (the IRI stays the link and its title).
  const known = new Map();
  let pending = null;
  function relabel() {
    pending = null;
    // Only http(s) IRIs stay links in the results (YASR links any IRI: javascript:, data:… become text).
    el.querySelectorAll(".yasr table td a[href]").forEach((a) => {
      let safe = false;
      try {
        safe = /^https?:$/.test(new URL(a.href).protocol);
      } catch (e) {
        safe = false;
      }
      if (!safe) a.removeAttribute("href");
    });
    const anchors = Array.from(el.querySelectorAll(".yasr table a[href^='http']:not([data-labelled])"));
    const wanted = [...new Set(anchors.map((a) => a.href))].filter((iri) => !known.has(iri)).slice(0, 400);
    const apply = () => anchors.forEach((a) => {
      a.dataset.labelled = "1";
      const label = known.get(a.href);
      if (label) {
        a.title = a.href;
        a.textContent = label;
      }
      const url = new URL(a.href);
      if (url.origin === location.origin) a.href = url.pathname + url.search;
    });
    if (!wanted.length) return apply();
    const query = new URLSearchParams(wanted.map((iri) => ["iri", iri]));
    query.set("lang", lang);
    fetch("/api/labels?" + query.toString(), {headers: {Accept: "application/json"}}).then((r) => r.json())
      .then((body) => {
        wanted.forEach((iri) => known.set(iri, null));
        body.items.forEach((item) => known.set(item.id, item.label));
        apply();
      });
  }
  // Names and roles YASGUI leaves out (axe-core checks them): its inputs get labels, the tab
  // list holds only tabs (the "+" button is moved after it), its scroll areas can take focus.
  function accessible() {
    const name = (selector, label) => el.querySelectorAll(selector).forEach((e) => {
      if (!e.hasAttribute("aria-label")) e.setAttribute("aria-label", label);
    });
    name("input.autocomplete", "SPARQL endpoint");
    name(".CodeMirror textarea", "SPARQL query");
    name("select.tableSizer", "Page size");
    name(".yasr input[type=search], .yasr .tableFilter", "Filter query results");
    el.querySelectorAll(".tabsList button.addTab").forEach((button) => {
      const list = button.closest(".tabsList");
      const own = button.cloneNode(true);  // the same button, outside the list of tabs
      own.addEventListener("click", () => yasgui.addTab(true));
      list.after(own);
      button.remove();
    });
    el.querySelectorAll(".CodeMirror-scroll[tabindex='-1']").forEach((e) => e.setAttribute("tabindex", "0"));
  }
  new MutationObserver(() => {
    accessible();
    if (!pending) pending = setTimeout(relabel, 50);
  }).observe(el, {childList: true, subtree: true});
  accessible();
  window.coopkgYasgui = yasgui;
})();
