// Small progressive enhancements. Everything works without this file.
(function () {
  "use strict";
  // A double tap on a submit button sends the form once (the server is idempotent too).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post")) { return; }
    if (form.dataset.submitted === "true") { event.preventDefault(); return; }
    form.dataset.submitted = "true";
    window.setTimeout(function () { form.dataset.submitted = "false"; }, 8000);
  });

  // The main menu folds away behind a "Menu" button on narrow screens (CSS decides where:
  // .page-header--collapsible). Without this script the button stays hidden and the menu open.
  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) { return; }
    var header = toggle.closest(".page-header");
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("main-menu--open", open);
    }
    setOpen(false);
    toggle.hidden = false;
    header.classList.add("page-header--collapsible");
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu and puts the focus back on its button.
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpMenu);
  } else {
    setUpMenu();
  }

  // An action whose form loads when it is opened (<details class="action" hx-get>, see
  // templates/includes/action_loader.html): busy while it loads, and once it is there the
  // focus goes to its first field. Without this file the form still loads; without htmx the
  // details hold a link to the form on a page of its own.
  function loadingAction(event) {
    // The element that sent the request (htmx events on the swapped content carry it here).
    var config = event.detail && event.detail.requestConfig;
    var source = config && config.elt;
    return source && source.matches && source.matches("details.action[hx-get]") ? source : null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var action = loadingAction(event);
    if (action) { action.setAttribute("aria-busy", "true"); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var action = loadingAction(event);
    if (action && !event.detail.successful) { action.removeAttribute("aria-busy"); }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var action = loadingAction(event);
    if (!action || !action.hasAttribute("aria-busy")) { return; }
    action.removeAttribute("aria-busy");
    var field = action.querySelector(".action__body :is(input:not([type=hidden]), select, textarea)");
    if (field && action.open) { field.focus(); }
  });
})();
