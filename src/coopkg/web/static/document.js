// A link to a passage (#c{start}-{end}) brings the quote forward: every piece of it is outlined.
(function () {
  "use strict";
  function show() {
    document.querySelectorAll("mark.target").forEach((m) => m.classList.remove("target"));
    const id = decodeURIComponent(location.hash.slice(1));
    if (!/^c\d+-\d+$/.test(id)) return;
    const marks = Array.from(document.querySelectorAll("mark[data-c]")).filter((m) => m.dataset.c.split(" ").includes(id));
    marks.forEach((m) => m.classList.add("target"));
    if (marks.length) marks[0].scrollIntoView({block: "center"});
  }
  window.addEventListener("hashchange", show);
  show();
})();
