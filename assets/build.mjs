// Copies the files coopkg's pages load from the installed (pinned, `npm ci`) packages into
// src/coopkg/web/static/vendor/, where the service serves them under /static/vendor/.
// Nothing here is fetched at run time and nothing built is kept in git.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const out = join(here, "..", "src", "coopkg", "web", "static", "vendor");

// package -> files of it that the pages load (paths inside the package)
const FILES = {
  "@zazuko/yasgui": ["build/yasgui.min.js", "build/yasgui.min.css"],
  "d3": ["dist/d3.min.js"],
  "topojson-client": ["dist/topojson-client.min.js"],
  "world-atlas": ["countries-50m.json"],
  "swagger-ui-dist": ["swagger-ui-bundle.js", "swagger-ui.css"],
  "redoc": ["bundles/redoc.standalone.js"],
};

// Redoc: (1) its side menu shows a logo from its CDN, the one request a page of ours would send
// outside this server; its <img> hides itself when it cannot load, and an empty src loads nothing.
// (2) It inserts its scrollbar styles when the bundle loads, before its `nonce` option is read:
// the bundle's webpack nonce is taken from its own <script nonce> instead, so that a policy
// without 'unsafe-inline' lets them in.
const PATCHES = {
  "redoc/bundles/redoc.standalone.js": [
    ["https://cdn.redoc.ly/redoc/logo-mini.svg", ""],
    ["r.nc=void 0;", "r.nc=document.currentScript&&document.currentScript.nonce||void 0;"],
  ],
  // YASR's column resizer inserts its few rules as a <style> element: they go to a stylesheet
  // file of their own (EXTRACTS below), which the editor's page links, and the insertion is dropped.
  "@zazuko/yasgui/build/yasgui.min.js": [
    ["o.styleSheet?o.styleSheet.cssText=n:o.appendChild(document.createTextNode(n)),e.appendChild(o)", "void 0"],
  ],
};
// file -> [pattern whose first group is written out, the file it is written to]
const EXTRACTS = {
  "@zazuko/yasgui/build/yasgui.min.js": [/r\.createStyle\(a,`([^`]*)`\)/, "column-resizer.css"],
};

rmSync(out, { recursive: true, force: true });
const versions = {};
for (const [pkg, files] of Object.entries(FILES)) {
  versions[pkg] = JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")).version;
  for (const file of files) {
    const target = join(out, pkg.replace("@", "").replace("/", "-"), file.split("/").pop());
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(modules, pkg, file), target);
    const extract = EXTRACTS[`${pkg}/${file}`];
    if (extract) {
      const found = readFileSync(target, "utf8").match(extract[0]);
      if (!found) throw new Error(`${pkg}/${file}: ${extract[0]} not found; update the extract`);
      writeFileSync(join(dirname(target), extract[1]), found[1].trim() + "\n");
    }
    for (const [from, to] of PATCHES[`${pkg}/${file}`] ?? []) {
      const text = readFileSync(target, "utf8");
      if (text.split(from).length !== 2) throw new Error(`${pkg}/${file}: ${from} not found once; update the patch`);
      writeFileSync(target, text.split(from).join(to));
    }
  }
}
writeFileSync(join(out, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`assets: ${Object.keys(versions).length} packages into ${out}`);
