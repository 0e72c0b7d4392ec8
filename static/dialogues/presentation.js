/*
 * The dialogue cards on screen (templates/dialogues/presentation.html): one card at a time,
 * navigated with the keyboard or a presentation clicker (which sends Page Up/Page Down or
 * the arrow keys), an optional countdown per card, full screen with F.
 * The site's CSP allows scripts from 'self' only: everything lives in this file.
 */
(function () {
  "use strict";

  function start() {
    var slides = Array.prototype.slice.call(document.querySelectorAll("[data-slide]"));
    if (!slides.length) { return; }
    var count = document.getElementById("deck-count");
    var timerSelect = document.getElementById("deck-timer");
    var clock = document.getElementById("deck-clock");
    var current = 0;
    var remaining = 0;
    var tick = null;

    var initial = slides.findIndex(function (s) { return "#" + s.id === window.location.hash; });
    if (initial > 0) { current = initial; }

    function format(seconds) {
      var s = Math.abs(seconds);
      var text = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      return seconds < 0 ? "−" + text : text;
    }

    function resetTimer() {
      if (tick) { window.clearInterval(tick); tick = null; }
      var minutes = parseInt(timerSelect.value, 10) || 0;
      if (!minutes || slides[current].classList.contains("slide--outcome")) {
        clock.hidden = true;
        return;
      }
      remaining = minutes * 60;
      clock.hidden = false;
      clock.classList.remove("is-late");
      clock.textContent = format(remaining);
      tick = window.setInterval(function () {
        remaining -= 1;
        clock.textContent = format(remaining);
        clock.classList.toggle("is-late", remaining <= 0);
      }, 1000);
    }

    function show(index) {
      current = Math.max(0, Math.min(slides.length - 1, index));
      slides.forEach(function (slide, i) { slide.hidden = i !== current; });
      count.textContent = (current + 1) + " / " + slides.length;
      if (slides[current].id && window.history.replaceState) {
        window.history.replaceState(null, "", "#" + slides[current].id);
      }
      resetTimer();
    }

    function typing(target) {
      var tag = target && target.tagName;
      return tag === "TEXTAREA" || tag === "INPUT" || tag === "SELECT" || (target && target.isContentEditable);
    }

    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
      var key = event.key;
      if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" || key === " " || key === "Spacebar") {
        event.preventDefault();
        show(current + 1);
      } else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp" || key === "Backspace") {
        event.preventDefault();
        show(current - 1);
      } else if (key === "Home") {
        event.preventDefault();
        show(0);
      } else if (key === "End") {
        event.preventDefault();
        show(slides.length - 1);
      } else if (key === "f" || key === "F") {
        toggleFullscreen();
      } else if (key === "Escape" && !document.fullscreenElement) {
        // In full screen the browser's own Escape leaves full screen first.
        event.preventDefault();
        window.location.href = document.querySelector(".deck__close").href;
      }
    });

    function toggleFullscreen() {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (document.documentElement.requestFullscreen) {
        document.documentElement.requestFullscreen().catch(function () {});
      }
    }

    document.getElementById("deck-next").addEventListener("click", function () { show(current + 1); });
    document.getElementById("deck-prev").addEventListener("click", function () { show(current - 1); });
    document.getElementById("deck-fullscreen").addEventListener("click", toggleFullscreen);
    timerSelect.addEventListener("change", function () { resetTimer(); timerSelect.blur(); });
    show(current);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
