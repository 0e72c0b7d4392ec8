/*
 * LUS pages: nothing typed is lost without the user saying so.
 *
 * A page may hold several small forms (on the LUS page: a follow-up talk per agreement,
 * confirm the record, share with a colleague, start a revision; the header's search and
 * sign-out on every page). Each button saves only its own form, so:
 *  - when a form is sent while another form in <main> holds unsaved typing, the browser asks
 *    first (a confirm naming the fields that would be lost); "Cancel" keeps the page and moves
 *    focus to the first of those fields;
 *  - leaving the page (a link, reload, closing the tab) with unsaved typing asks too
 *    (beforeunload; the browser words that question itself).
 * "Unsaved" is a field whose value differs from what the page was loaded with, or any filled
 * field of a form the server sent back with errors (its text was not saved either).
 *
 * Loaded with `defer` by the LUS templates (lus/_unsaved_guard.html), which put the Danish
 * question in data-lus-unsaved-confirm ({fields} is filled in here).
 * CSP: scripts from 'self' only, no inline script.
 */
(function () {
  "use strict";

  var script = document.querySelector("script[data-lus-unsaved-confirm]");
  var question = script ? script.getAttribute("data-lus-unsaved-confirm") : "";
  var skip = ["hidden", "submit", "button", "reset", "image"];
  var submitting = false;

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function isChoice(el) {
    return el.type === "checkbox" || el.type === "radio";
  }

  function defaultIndex(select) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].defaultSelected) {
        return i;
      }
    }
    return select.options.length ? 0 : -1;
  }

  function selectChanged(select) {
    if (select.multiple) {
      return Array.prototype.some.call(select.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    return select.selectedIndex !== defaultIndex(select);
  }

  function changed(el) {
    if (isChoice(el)) {
      return el.checked !== el.defaultChecked;
    }
    if (el.tagName === "SELECT") {
      return selectChanged(el);
    }
    if (el.type === "file") {
      return el.value !== "";
    }
    return el.value !== el.defaultValue;
  }

  function filled(el) {
    return isChoice(el) ? el.checked : el.value !== "";
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && skip.indexOf(el.type) === -1;
    });
  }

  function unsavedFields(form) {
    var sentBack = form.querySelector(".form-error-message") !== null;
    return fields(form).filter(function (el) {
      return changed(el) || (sentBack && filled(el));
    });
  }

  function unsavedElsewhere(except) {
    var found = [];
    document.querySelectorAll("main form").forEach(function (form) {
      if (form !== except) {
        found = found.concat(unsavedFields(form));
      }
    });
    return found;
  }

  function fieldName(el) {
    var fieldset = el.closest("fieldset");
    var name = isChoice(el) && fieldset ? text(fieldset.querySelector("legend")) : "";
    name = name || (el.labels && el.labels.length ? text(el.labels[0]) : "") || el.name;
    var part = el.form && el.form.getAttribute("data-unsaved-name");
    return "»" + name + "«" + (part ? " (" + part + ")" : "");
  }

  function message(lost) {
    var names = [];
    lost.forEach(function (el) {
      var name = fieldName(el);
      if (names.indexOf(name) === -1) {
        names.push(name);
      }
    });
    return question.replace("{fields}", names.join(", "));
  }

  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) {
      return;
    }
    var lost = unsavedElsewhere(event.target);
    if (lost.length && !window.confirm(message(lost))) {
      event.preventDefault();
      lost[0].focus();
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (submitting || !unsavedElsewhere(null).length) {
      return;
    }
    event.preventDefault();
    event.returnValue = "";
  });

  // Back to this page from the browser's cache: it may be sent again.
  window.addEventListener("pageshow", function () {
    submitting = false;
  });
})();
