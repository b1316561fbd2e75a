// abonent: pickers instead of internal codes. A .picker[data-picker=KIND] holds a text box
// (role=combobox), a hidden input with the chosen id and a listbox. Typing asks
// /suggest?kind=KIND&q=… (after a pause); arrows move through the list, Enter or a click
// chooses, Escape closes. Choosing puts the label into the box and the id into the hidden
// input; typing again clears the id. The header search uses the same list (kind=search) and
// opens the chosen record.
(function () {
  "use strict";
  var DELAY = 200;

  function setup(root, kind, box, hidden, list, status, nav) {
    var timer = null, items = [], active = -1, asked = "", seq = 0;

    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(i) {
      var opts = list.querySelectorAll('[role="option"]');
      for (var j = 0; j < opts.length; j++) {
        opts[j].setAttribute("aria-selected", j === i ? "true" : "false");
        opts[j].classList.toggle("active", j === i);
      }
      active = i;
      if (i >= 0 && opts[i]) {
        box.setAttribute("aria-activedescendant", opts[i].id);
        if (opts[i].scrollIntoView) { opts[i].scrollIntoView({ block: "nearest" }); }
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    function choose(i) {
      var it = items[i];
      if (!it) { return; }
      if (nav && it.href) { window.location.href = it.href; return; }
      box.value = it.label;
      if (hidden) { hidden.value = String(it.id); }
      status.textContent = "Выбрано: " + it.label;
      close();
      root.dispatchEvent(new CustomEvent("picker:chosen", { bubbles: true, detail: it }));
    }

    function show(data) {
      items = data.items || [];
      while (list.firstChild) { list.removeChild(list.firstChild); }
      for (var i = 0; i < items.length; i++) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        li.setAttribute("aria-selected", "false");
        li.textContent = items[i].label;
        if (items[i].closed) { li.classList.add("closed"); }
        li.setAttribute("data-index", String(i));
        list.appendChild(li);
      }
      if (items.length === 0) {
        status.textContent = "Ничего не найдено";
        close();
        return;
      }
      status.textContent = data.cut ? data.note : "Найдено: " + items.length;
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      mark(-1);
    }

    function ask() {
      var q = box.value.trim();
      if (q.length < 2) { close(); status.textContent = ""; return; }
      if (q === asked && !list.hidden) { return; }
      asked = q;
      var mine = ++seq;
      fetch("/suggest?kind=" + encodeURIComponent(kind) + "&q=" + encodeURIComponent(q),
            { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (mine === seq) { show(data); } })
        .catch(function () { status.textContent = "Подсказки недоступны — введите номер счёта или адрес полностью"; });
    }

    box.addEventListener("input", function () {
      if (hidden) { hidden.value = ""; }
      asked = "";
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    box.addEventListener("keydown", function (e) {
      var open = !list.hidden && items.length > 0;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (!open) { ask(); return; }
        mark(Math.min(active + 1, items.length - 1));
      } else if (e.key === "ArrowUp") {
        if (open) { e.preventDefault(); mark(Math.max(active - 1, 0)); }
      } else if (e.key === "Enter") {
        if (open && active >= 0) { e.preventDefault(); choose(active); }
      } else if (e.key === "Escape") {
        if (open) { e.preventDefault(); close(); }
      }
    });
    box.addEventListener("blur", function () { setTimeout(close, 150); });
    list.addEventListener("mousedown", function (e) {
      var li = e.target.closest('[role="option"]');
      if (!li) { return; }
      e.preventDefault();
      choose(parseInt(li.getAttribute("data-index"), 10));
    });
  }

  function init() {
    var pickers = document.querySelectorAll(".picker[data-picker]");
    for (var i = 0; i < pickers.length; i++) {
      var root = pickers[i];
      var box = root.querySelector('[role="combobox"]');
      var hidden = root.querySelector("[data-picker-id]");
      var list = root.querySelector('[role="listbox"]');
      var status = root.querySelector(".picker-status");
      if (box && list && status) { setup(root, root.getAttribute("data-picker"), box, hidden, list, status, false); }
    }
    // The header search: the same list, choosing opens the record; Enter without a choice
    // still submits the search form.
    var form = document.querySelector(".topbar-search");
    var q = form && form.querySelector('input[name="q"]');
    if (q) {
      form.classList.add("picker");
      var l = document.createElement("ul");
      l.className = "picker-list";
      l.id = "topbar-q-list";
      l.setAttribute("role", "listbox");
      l.setAttribute("aria-label", "Подсказки поиска");
      l.hidden = true;
      var st = document.createElement("div");
      st.className = "picker-status sr-only";
      st.setAttribute("aria-live", "polite");
      form.appendChild(l);
      form.appendChild(st);
      q.setAttribute("role", "combobox");
      q.setAttribute("aria-autocomplete", "list");
      q.setAttribute("aria-expanded", "false");
      q.setAttribute("aria-controls", l.id);
      setup(form, "search", q, null, l, st, true);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
