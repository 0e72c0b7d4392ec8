/*
 * LUS preparation: the running total of the leadership time split, beside the table
 * (each column must add up to 100 %). The server shows the same total on every load; this
 * keeps it current while typing. No inline script (CSP): loaded by the preparation page.
 */
(function () {
  "use strict";

  function update(when) {
    var total = 0;
    document.querySelectorAll('input[data-lus-time="' + when + '"]').forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (!isNaN(n)) {
        total += n;
      }
    });
    var output = document.querySelector('output[data-lus-total="' + when + '"]');
    if (output) {
      output.textContent = total + " %";
      output.classList.toggle("lus-total--off", total !== 100 && total !== 0);
    }
  }

  function start() {
    ["now", "wanted"].forEach(function (when) {
      document.querySelectorAll('input[data-lus-time="' + when + '"]').forEach(function (input) {
        input.addEventListener("input", function () {
          update(when);
        });
      });
      update(when);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
