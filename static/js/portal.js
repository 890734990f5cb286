/* The little JavaScript the portal needs; everything works without it. */
(function () {
  "use strict";

  // Move focus to the error summary so keyboard and screen-reader users hear it first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });

  // Live filters: announce the new result count in the polite status region, which
  // stays in the page (a region inserted by the swap itself is not announced).
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = document.getElementById("result-status");
    var announce = document.querySelector("#results [data-announce]");
    if (status && announce) {
      status.textContent = announce.textContent.trim();
    }
  });
})();
