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
// «← Назад» on the error page goes back in history (an inline javascript: link would break
// the content security policy); without history it stays a link to the home page.
document.addEventListener("click", function (e) {
  var a = e.target.closest("a[data-back]");
  if (a && window.history.length > 1) { e.preventDefault(); window.history.back(); }
});
