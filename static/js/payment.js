// The payment page (templates/membership/payment.html): Stripe Elements take the card, a
// SetupIntent confirms it (with 3-D Secure when the bank asks), then the form posts the intent's
// id and the server charges the card. A first payment the bank wants confirmed is finished here.
(function () {
  "use strict";

  function showError(root, message) {
    var box = root.querySelector("[data-card-errors]");
    box.textContent = message || "Your card could not be used. Please try again.";
    box.hidden = false;
  }

  function setUp(form) {
    var stripe = Stripe(form.dataset.publishableKey);
    var card = stripe.elements().create("card");
    card.mount("#card-element");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      stripe.confirmCardSetup(form.dataset.clientSecret, { payment_method: { card: card } }).then(function (result) {
        if (result.error) {
          showError(form, result.error.message);
          button.disabled = false;
        } else {
          form.submit();
        }
      });
    });
  }

  function authenticate(box) {
    var stripe = Stripe(box.dataset.publishableKey);
    stripe.confirmCardPayment(box.dataset.clientSecret).then(function (result) {
      if (result.error) {
        showError(box, result.error.message);
      } else {
        window.location.assign(box.dataset.done);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-payment]");
    if (form) setUp(form);
    var box = document.querySelector("[data-authenticate]");
    if (box) authenticate(box);
  });
})();
