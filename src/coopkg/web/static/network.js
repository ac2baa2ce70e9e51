// The funding network: funders -> what they fund -> participants, a d3 force layout (drag, zoom, click).
(function () {
  "use strict";
  const figure = document.getElementById("network");
  if (!figure) return;

  // Only http(s) IRIs become links (javascript:, data:… stay text: null leaves the <a> without href).
  function local(iri) {
    try {
      const url = new URL(iri, location.href);
      if (url.protocol !== "http:" && url.protocol !== "https:") return null;
      return url.origin === location.origin ? url.pathname : iri;
    } catch (e) {
      return null;
    }
  }

  fetch(figure.dataset.source, {headers: {Accept: "application/json"}}).then((r) => r.json()).then((graph) => {
    const plot = figure.querySelector(".plot");
    const width = 960, height = 640;
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const list = document.getElementById("network-list");
    for (const l of graph.links) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      if (local(l.source)) a.href = local(l.source);
      a.textContent = byId.get(l.source).label;
      const b = document.createElement("a");
      if (local(l.target)) b.href = local(l.target);
      b.textContent = byId.get(l.target).label;
      li.append(a, document.createTextNode(l.kind === "funds" ? " → " : ` — ${l.label} — `), b);
      list.appendChild(li);
    }
    const svg = d3.select(plot).append("svg").attr("viewBox", `0 0 ${width} ${height}`)
      .attr("role", "group").attr("aria-label", figure.querySelector("figcaption").textContent);
    const zoomed = svg.append("g");
    svg.call(d3.zoom().scaleExtent([0.3, 4]).on("zoom", (event) => zoomed.attr("transform", event.transform)));
    const link = zoomed.append("g").attr("aria-hidden", "true").selectAll("line").data(graph.links).join("line")
      .attr("class", (l) => "link " + l.kind).attr("stroke-width", (l) => 1 + Math.min(4, l.fundings));
    const node = zoomed.append("g").selectAll("g").data(graph.nodes).join("g").attr("class", (n) => "node " + n.group);
    const anchor = node.append("a").attr("href", (n) => local(n.id));
    anchor.append("title").text((n) => n.label);
    anchor.filter((n) => n.group === "project").append("rect").attr("x", -7).attr("y", -7).attr("width", 14).attr("height", 14);
    anchor.filter((n) => n.group !== "project").append("circle").attr("r", (n) => (n.group === "funder" ? 10 : 7));
    anchor.append("text").attr("x", 12).attr("y", 4).text((n) => (n.label.length > 40 ? n.label.slice(0, 39) + "…" : n.label));
    const simulation = d3.forceSimulation(graph.nodes)
      .force("link", d3.forceLink(graph.links).id((n) => n.id).distance(90))
      .force("charge", d3.forceManyBody().strength(-260))
      .force("x", d3.forceX((n) => (n.group === "funder" ? width * 0.2 : n.group === "project" ? width * 0.5 : width * 0.8)).strength(0.25))
      .force("y", d3.forceY(height / 2).strength(0.06))
      .on("tick", () => {
        link.attr("x1", (l) => l.source.x).attr("y1", (l) => l.source.y).attr("x2", (l) => l.target.x).attr("y2", (l) => l.target.y);
        node.attr("transform", (n) => `translate(${n.x},${n.y})`);
      });
    node.call(d3.drag()
      .on("start", (event, n) => { if (!event.active) simulation.alphaTarget(0.3).restart(); n.fx = n.x; n.fy = n.y; })
      .on("drag", (event, n) => { n.fx = event.x; n.fy = event.y; })
      .on("end", (event, n) => { if (!event.active) simulation.alphaTarget(0); n.fx = null; n.fy = null; }));
    figure.dataset.nodes = String(graph.nodes.length);
  });
})();
