// ReDoc from its npm package, served here (no CDN); its styles carry the page's nonce.
(function () {
  "use strict";
  const el = document.getElementById("redoc");
  Redoc.init(el.dataset.spec, {nonce: el.dataset.nonce || undefined, nativeScrollbars: true}, el);
})();
