/* The survey's autosave (htmx on the form, see survey_section.html): tell the respondent
   in the status region when a change could not be saved, since htmx swaps nothing on a
   network failure. The buttons keep working without JavaScript. */
(function () {
  "use strict";

  function reportFailure(event) {
    var form = event.target.closest ? event.target.closest("[data-survey-form]") : null;
    var status = document.getElementById("save-status");
    if (form && status && status.dataset.saveError) {
      status.textContent = status.dataset.saveError;
    }
  }

  document.addEventListener("htmx:sendError", reportFailure);
  document.addEventListener("htmx:timeout", reportFailure);
  document.addEventListener("htmx:responseError", reportFailure);
})();
