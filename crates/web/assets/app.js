// abonent: small page behaviour. htmx sends the session's CSRF token with every request.
document.addEventListener("htmx:configRequest", function (e) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { e.detail.headers["X-CSRF-Token"] = meta.content; }
});
// Buttons with data-confirm ask before a destructive action.
document.addEventListener("click", function (e) {
  var b = e.target.closest("[data-confirm]");
  if (b && !window.confirm(b.getAttribute("data-confirm"))) { e.preventDefault(); }
});
// "/" focuses the search box, as in most office software.
document.addEventListener("keydown", function (e) {
  if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
    var s = document.querySelector(".topbar-search input");
    if (s) { e.preventDefault(); s.focus(); }
  }
});
// The classifier's suggestion: «Принять» puts its category into the intake form.
document.addEventListener("click", function (e) {
  var b = e.target.closest("[data-pick-category]");
  if (!b) { return; }
  var code = b.getAttribute("data-pick-category");
  var sel = document.querySelector('select[name="category_id"]');
  if (!sel) { return; }
  for (var i = 0; i < sel.options.length; i++) {
    if (sel.options[i].getAttribute("data-code") === code) { sel.selectedIndex = i; }
  }
  if (b.closest(".suggestion-emergency")) {
    var pr = document.querySelector('select[name="priority"]');
    if (pr) { pr.value = "emergency"; }
  }
});
// The caller panel and the address choices: a button with data-fill-NAME attributes puts each
// value into the intake form's field #f-NAME (an input's value, any other element's text),
// so the applicant, the account and the address the registry knows are never retyped.
document.addEventListener("click", function (e) {
  var b = e.target.closest("[data-fill]");
  if (!b) { return; }
  e.preventDefault();
  for (var i = 0; i < b.attributes.length; i++) {
    var a = b.attributes[i];
    if (a.name.indexOf("data-fill-") !== 0) { continue; }
    var el = document.getElementById("f-" + a.name.slice(10));
    if (!el) { continue; }
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) { el.value = a.value; } else { el.textContent = a.value; }
  }
  var pressed = document.querySelectorAll("[data-fill][aria-pressed]");
  for (var j = 0; j < pressed.length; j++) { pressed[j].setAttribute("aria-pressed", "false"); }
  if (b.hasAttribute("aria-pressed")) { b.setAttribute("aria-pressed", "true"); }
});
// «← Назад» on the error page goes back in history (an inline javascript: link would break
// the content security policy); without history it stays a link to the home page.
document.addEventListener("click", function (e) {
  var a = e.target.closest("a[data-back]");
  if (a && window.history.length > 1) { e.preventDefault(); window.history.back(); }
});
// Busy: while the server works on a submitted form (issuing a PDF, an import, a calculation)
// its buttons are disabled, so nothing is sent twice, and after 300 ms the pressed button
// shows a spinner. Disabled after the submit event, so the pressed button's value is sent.
// A download leaves the page in place: the buttons come back after 20 s or on return.
(function () {
  function busy(form, pressed) {
    var buttons = form.querySelectorAll("button, input[type=submit]");
    form.setAttribute("aria-busy", "true");
    for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = true; }
    var spin = setTimeout(function () { if (pressed) { pressed.classList.add("is-busy"); } }, 300);
    setTimeout(function () { idle(form, spin); }, 20000);
    return spin;
  }
  function idle(form, spin) {
    clearTimeout(spin);
    form.removeAttribute("aria-busy");
    var buttons = form.querySelectorAll("button, input[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = false;
      buttons[i].classList.remove("is-busy");
    }
  }
  document.addEventListener("submit", function (e) {
    if (e.defaultPrevented || e.target.hasAttribute("hx-post") || e.target.hasAttribute("hx-get")) { return; }
    var form = e.target, pressed = e.submitter || form.querySelector("[type=submit]");
    setTimeout(function () { busy(form, pressed); }, 0);
  });
  window.addEventListener("pageshow", function () {
    var forms = document.querySelectorAll("form[aria-busy]");
    for (var i = 0; i < forms.length; i++) { idle(forms[i], null); }
  });
  // htmx requests started by a form or a button: the same, until the answer comes.
  var spins = new WeakMap();
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail.elt;
    var form = elt.tagName === "FORM" ? elt : (elt.tagName === "BUTTON" ? elt.closest("form") : null);
    if (form) { spins.set(form, busy(form, elt.tagName === "BUTTON" ? elt : form.querySelector("[type=submit]"))); }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var elt = e.detail.elt;
    var form = elt.tagName === "FORM" ? elt : (elt.tagName === "BUTTON" ? elt.closest("form") : null);
    if (form) { idle(form, spins.get(form)); }
  });
})();
