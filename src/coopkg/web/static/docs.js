// Swagger UI from its npm package, served here (no CDN).
(function () {
  "use strict";
  const el = document.getElementById("swagger-ui");
  // validatorUrl null: no badge fetched from validator.swagger.io (nothing comes from another server).
  window.ui = SwaggerUIBundle({url: el.dataset.spec, dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"});
})();
