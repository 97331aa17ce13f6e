// When an htmx request fails, say why where the reader acted. htmx swaps in the answers rendered
// for it (2xx, and a form's errors or the posting limit, 422 and 429: see base.html) and drops the
// rest, which left a click on "Post" doing nothing at all. For those, this puts a message at the form
// that made the request (or by the link or button): the server's own words when it answered
// in plain text (a refused comment: "Your membership has ended…"), else one chosen by the status.
// Nothing is swapped, so what the reader typed stays. Their next request from there clears it.
(function () {
  "use strict";
  var BY_STATUS = {
    403: "This page is out of date (perhaps you signed in or out elsewhere): reload it and try again.",
    404: "That is no longer here: it may have been deleted. Reload the page to see it as it is now.",
  };
  var CLIENT_ERROR = "That did not work: reload the page and try again.";
  var SERVER_ERROR = "Something went wrong on our side. Try again in a moment.";
  var UNREACHABLE = "We could not reach the site: check your connection and try again.";

  // The top of the form that made the request; or, for a link or a button in a row of them (Delete,
  // Hide), just after their paragraph or row.
  function place(elt) {
    var form = elt.closest("form");
    if (form && !form.classList.contains("inline-form")) {
      return { container: form, existing: form.querySelector(":scope > [data-request-error]") };
    }
    var anchor = elt.closest("p, div") || elt;
    var next = anchor.nextElementSibling;
    return { anchor: anchor, existing: next && next.hasAttribute("data-request-error") ? next : null };
  }

  function show(elt, text) {
    var spot = place(elt);
    var message = spot.existing || document.createElement("p");
    message.className = "form-errors";
    message.setAttribute("role", "alert");
    message.setAttribute("data-request-error", "");
    message.textContent = text;
    if (spot.existing) return;
    if (spot.container) spot.container.insertAdjacentElement("afterbegin", message);
    else spot.anchor.insertAdjacentElement("afterend", message);
  }

  function reason(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (xhr.status >= 400 && xhr.status < 500 && type.indexOf("text/plain") === 0 && xhr.responseText.trim()) {
      return xhr.responseText.trim().slice(0, 500);
    }
    if (xhr.status >= 500) return SERVER_ERROR;
    return BY_STATUS[xhr.status] || CLIENT_ERROR;
  }

  document.addEventListener("htmx:responseError", function (event) {
    show(event.detail.elt, reason(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function (event) {
    show(event.detail.elt, UNREACHABLE);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var existing = place(event.detail.elt).existing;
    if (existing) existing.remove();
  });
})();
