// After django-otp-webauthn's script has made a passkey (templates/accounts/passkey_create.html),
// go back to "Your second step": it lists the new passkey, with a message. The library's own
// script does the rest; without JavaScript the page says so and nothing else changes.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    var page = document.querySelector("[data-passkey-done]");
    if (page) { window.location.assign(page.getAttribute("data-passkey-done")); }
  });
})();
