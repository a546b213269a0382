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
})();
