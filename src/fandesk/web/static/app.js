// fandesk: CSRF header on every HTMX request, keyboard shortcuts, queue refresh that keeps your place,
// the outbox's copy buttons.
(function () {
  "use strict";
  var token = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };
  document.addEventListener("htmx:configRequest", function (evt) {
    evt.detail.headers["X-CSRF-Token"] = token();
  });

  var selected = null; // item id of the highlighted queue row, kept across refreshes

  function rows() { return Array.prototype.slice.call(document.querySelectorAll(".queue-row")); }
  function highlight(row) {
    rows().forEach(function (r) { r.classList.remove("selected"); });
    if (!row) { return; }
    row.classList.add("selected");
    selected = row.getAttribute("data-id");
    row.scrollIntoView({block: "nearest"});
  }
  function current() {
    return document.querySelector('.queue-row[data-id="' + selected + '"]') || null;
  }
  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var index = all.indexOf(current());
    index = index < 0 ? 0 : Math.min(Math.max(index + step, 0), all.length - 1);
    highlight(all[index]);
  }
  function post(url, values, after) {
    htmx.ajax("POST", url, {values: values, swap: "none"}).then(after);
  }
  function refreshQueue() {
    var queue = document.getElementById("queue");
    if (queue) { htmx.trigger(queue, "refresh"); }
  }
  function itemId() {
    if (document.body.getAttribute("data-page") === "item") {
      var main = document.getElementById("item-main");
      return main ? main.getAttribute("data-item") : null;
    }
    var row = current();
    return row ? row.getAttribute("data-id") : null;
  }
  function toggleHelp() {
    var help = document.getElementById("help");
    if (help) { help.hidden = !help.hidden; }
  }
  function flash(text) {
    var box = document.getElementById("flash");
    if (box) { box.textContent = text; }
  }

  document.addEventListener("keydown", function (evt) {
    var target = evt.target;
    if (evt.key === "Escape") {
      var help = document.getElementById("help");
      if (help) { help.hidden = true; }
      if (target && target.blur) { target.blur(); }
      return;
    }
    if (evt.ctrlKey || evt.metaKey || evt.altKey) { return; }
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var page = document.body.getAttribute("data-page");
    var id = itemId();
    switch (evt.key) {
      case "?": toggleHelp(); break;
      case "j": if (page === "queue") { move(1); } break;
      case "k": if (page === "queue") { move(-1); } break;
      case "o":
      case "Enter": if (page === "queue" && id) { window.location.href = "/items/" + id; } break;
      case "r":
        if (page === "queue" && id) { window.location.href = "/items/" + id + "#reply"; }
        if (page === "item") {
          var editor = document.getElementById("reply-text");
          if (editor) { editor.focus(); } else {
            var button = document.getElementById("draft-template");
            if (button) { button.click(); }
          }
        }
        break;
      case "a":
        if (id) {
          post("/items/" + id + "/action", {action: "assign"}, function () {
            if (page === "item") { window.location.reload(); } else { flash("✓"); refreshQueue(); }
          });
        }
        break;
      case "e":
        if (id) {
          post("/items/" + id + "/action", {action: "close"}, function () {
            if (page === "item") { window.location.href = "/queue"; } else { move(1); refreshQueue(); }
          });
        }
        break;
      case "x":
        var row = current();
        if (row) { var box = row.querySelector('input[type="checkbox"]'); if (box) { box.checked = !box.checked; } }
        break;
      case "u": if (page === "item") { window.location.href = "/queue"; } break;
      default: return;
    }
    evt.preventDefault();
  });

  // Rows are clickable; the queue's own refresh keeps the highlighted row and waits while you select.
  document.addEventListener("click", function (evt) {
    var row = evt.target.closest && evt.target.closest(".queue-row");
    if (row && !evt.target.closest("a, input, button, select")) { highlight(row); }
  });
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail.elt;
    if (elt && elt.id === "queue" && evt.detail.requestConfig.verb === "get" &&
        document.querySelector('#queue input[name="ids"]:checked')) {
      evt.preventDefault();
    }
  });
  // The outbox's Copy: the reply exactly as written (no quote marks, no spreadsheet artefacts), ready to
  // paste into Xiaohongshu. Off a secure context (plain http on a LAN address) the clipboard API is
  // missing: copy through a selected textarea instead.
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("button.copy") : null;
    if (!button) { return; }
    var text = button.getAttribute("data-copy") || "";
    var done = function () {
      button.textContent = button.getAttribute("data-done") || button.textContent;
      button.classList.add("copied");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
      return;
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { if (document.execCommand("copy")) { done(); } } finally { document.body.removeChild(area); }
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (selected) { var row = current(); if (row) { row.classList.add("selected"); } }
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.getAttribute("data-page") === "queue") { move(0); }
    if (window.location.hash === "#reply") {
      var editor = document.getElementById("reply-text");
      if (editor) { editor.focus(); }
    }
  });
})();
