/*
 * Framework pages: the contents list (a DKFDS side navigation, .fw-toc) follows the
 * reader. On a desktop it stays open beside the text and marks the section being read;
 * on a phone it starts folded above the text and folds again when a section is chosen.
 * Without this script the list is simply open above the text.
 *
 * Loaded with `defer` (CSP: scripts from 'self' only, no inline script).
 */
(function () {
  "use strict";

  var toc = document.querySelector(".fw-toc");
  if (!toc) {
    return;
  }
  var details = toc.querySelector("details");
  var desktop = window.matchMedia("(min-width: 992px)");

  function fitToScreen() {
    if (details) {
      details.open = desktop.matches;
    }
  }
  fitToScreen();
  if (desktop.addEventListener) {
    desktop.addEventListener("change", fitToScreen);
  }

  var entries = [];
  Array.prototype.forEach.call(toc.querySelectorAll("a[href^='#']"), function (link) {
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (target) {
      entries.push({ link: link, target: target });
    }
  });
  if (!entries.length) {
    return;
  }

  var side = toc.closest(".fw-layout__side") || toc;
  var shown = null;

  function markCurrent() {
    // A section is being read once its top has passed a line near the top of the screen
    // (a chosen section lands just under it, however short it is).
    var line = 96;
    var current = entries[0];
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].target.getBoundingClientRect().top <= line) {
        current = entries[i];
      }
    }
    // At the very end of the page the last sections cannot reach the line: take the last.
    if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) {
      var last = entries[entries.length - 1];
      if (last.target.getBoundingClientRect().top < window.innerHeight) {
        current = last;
      }
    }
    if (current === shown) {
      return;
    }
    shown = current;
    Array.prototype.forEach.call(toc.querySelectorAll("li.current, li.active"), function (li) {
      li.classList.remove("current", "active");
    });
    Array.prototype.forEach.call(toc.querySelectorAll("[aria-current]"), function (a) {
      a.removeAttribute("aria-current");
    });
    var item = current.link.parentElement;
    item.classList.add("current");
    current.link.setAttribute("aria-current", "location");
    var top = item.parentElement.closest("li") || item;
    top.classList.add("active");
    // Keep the marked entry in view inside a contents list taller than the screen.
    if (desktop.matches && side.scrollHeight > side.clientHeight) {
      var box = side.getBoundingClientRect();
      var at = current.link.getBoundingClientRect();
      if (at.top < box.top || at.bottom > box.bottom) {
        side.scrollTop += at.top - box.top - box.height / 3;
      }
    }
  }

  var pending = false;
  function onScroll() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        markCurrent();
      });
    }
  }
  window.addEventListener("scroll", onScroll, { passive: true });
  window.addEventListener("resize", onScroll);
  markCurrent();

  toc.addEventListener("click", function (event) {
    if (event.target.closest("a") && details && !desktop.matches) {
      details.open = false;
    }
  });
})();
