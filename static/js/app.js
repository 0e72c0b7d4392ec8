/*
 * Ledelsesgrundlag: start Det Fælles Designsystem's components.
 *
 * Loaded with `defer` after static/vendor/dkfds/js/dkfds.min.js (which defines
 * window.DKFDS), so the document is parsed when this runs. DKFDS.init() wires up the
 * mobile menu (.js-menu-open / .mobile-drawer), dropdowns, accordions, alerts with a
 * close button and the error summary ([data-module="error-summary"]).
 *
 * The site's Content-Security-Policy allows scripts from 'self' only: keep all
 * behaviour in files like this one, never in inline <script> or on* attributes.
 */
(function () {
  "use strict";

  function start() {
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      window.DKFDS.init();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
