// The explorer's pictures: amounts by funder and by year (from the figures' own tables) and the map.
// SVG only through attributes (no inline style), links as <a> so they work with a keyboard.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";

  // Only http(s) IRIs become links (javascript:, data:… stay text: null leaves the <a> without href).
  function local(iri) {
    if (!iri) return null;
    try {
      const url = new URL(iri, location.href);
      if (url.protocol !== "http:" && url.protocol !== "https:") return null;
      return url.origin === location.origin ? url.pathname + url.search : iri;
    } catch (e) {
      return null;
    }
  }

  function bars(figure) {
    const rows = Array.from(figure.querySelectorAll("tbody tr"));
    const plot = figure.querySelector(".plot");
    if (!rows.length) {
      const p = document.createElement("p");
      p.className = "muted";
      p.textContent = figure.dataset.empty;
      plot.appendChild(p);
      return;
    }
    const byCurrency = d3.group(rows.map((r) => ({label: r.dataset.label, href: r.dataset.href,
      currency: r.dataset.currency, total: +r.dataset.total})), (d) => d.currency);
    for (const [currency, data] of byCurrency) {
      const barH = 22, left = 190, width = 560, height = data.length * (barH + 6) + 28;
      const x = d3.scaleLinear().domain([0, d3.max(data, (d) => d.total)]).nice().range([0, width - left - 70]);
      const svg = d3.select(plot).append("svg").attr("viewBox", `0 0 ${width} ${height}`)
        .attr("role", "group").attr("aria-label", `${figure.querySelector("figcaption").textContent} (${currency})`);
      svg.append("text").attr("x", 0).attr("y", 14).attr("class", "axis-label").text(currency);
      const rowsG = svg.selectAll("a").data(data).join("a").attr("href", (d) => local(d.href))
        .attr("transform", (d, i) => `translate(0, ${24 + i * (barH + 6)})`);
      rowsG.append("title").text((d) => `${d.label}: ${d.total.toLocaleString()} ${currency}`);
      rowsG.append("text").attr("x", left - 8).attr("y", barH / 2 + 4).attr("text-anchor", "end")
        .text((d) => (d.label.length > 28 ? d.label.slice(0, 27) + "…" : d.label));
      rowsG.append("rect").attr("class", "bar").attr("x", left).attr("height", barH)
        .attr("width", (d) => Math.max(2, x(d.total)));
      rowsG.append("text").attr("x", (d) => left + Math.max(2, x(d.total)) + 6).attr("y", barH / 2 + 4)
        .text((d) => d3.format("~s")(d.total));
    }
  }

  async function map(figure) {
    const plot = figure.querySelector(".plot");
    const [world, view] = await Promise.all([
      fetch(figure.dataset.atlas).then((r) => r.json()),
      fetch(figure.dataset.source, {headers: {Accept: "application/json"}}).then((r) => r.json()),
    ]);
    const counts = new Map(view.facets.country.filter((c) => c.numeric).map((c) => [c.numeric, c]));
    const countries = topojson.feature(world, world.objects.countries).features;
    const funded = countries.filter((f) => counts.has(f.id));
    const width = 900, height = 460;
    const projection = d3.geoNaturalEarth1();
    if (funded.length) {  // around the recipients, with their neighbours for context
      const centre = d3.geoCentroid({type: "FeatureCollection", features: funded});
      projection.fitExtent([[20, 20], [width - 20, height - 20]], d3.geoCircle().center(centre).radius(24)());
    } else {
      projection.fitSize([width, height], {type: "Sphere"});
    }
    const path = d3.geoPath(projection);
    const max = d3.max(Array.from(counts.values()), (c) => c.count) || 1;
    const color = d3.scaleSequential([0, max], d3.interpolateBlues);
    const svg = d3.select(plot).append("svg").attr("viewBox", `0 0 ${width} ${height}`)
      .attr("role", "group").attr("aria-label", figure.querySelector("figcaption").textContent.trim());
    svg.append("g").attr("aria-hidden", "true").selectAll("path")
      .data(countries.filter((f) => !counts.has(f.id))).join("path").attr("class", "country").attr("d", path);
    const links = svg.append("g").selectAll("a").data(funded).join("a")
      .attr("href", (f) => "/?region=" + encodeURIComponent(counts.get(f.id).value))
      .attr("aria-label", (f) => `${counts.get(f.id).label}: ${counts.get(f.id).count}`);
    links.append("title").text((f) => `${counts.get(f.id).label}: ${counts.get(f.id).count}`);
    links.append("path").attr("class", "country funded").attr("d", path)
      .attr("fill", (f) => color(0.25 * max + 0.75 * counts.get(f.id).count));
    svg.append("g").attr("aria-hidden", "true").selectAll("text").data(funded).join("text")
      .attr("class", "map-label").attr("text-anchor", "middle")
      .attr("x", (f) => path.centroid(f)[0]).attr("y", (f) => path.centroid(f)[1])
      .text((f) => `${counts.get(f.id).label} · ${counts.get(f.id).count}`);
  }

  document.querySelectorAll("figure.chart").forEach(bars);
  const figure = document.getElementById("map");
  if (figure) map(figure);
})();
