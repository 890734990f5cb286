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

  // A button pressed while an autosave is still on its way would post the old
  // revision and be refused as a save from another window (and could lose the
  // answer just given). Wait until the autosave (and any queued one) has finished,
  // then submit with the same button, carrying the new revision.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-survey-form]")) {
      return;
    }
    if (!form.classList.contains("htmx-request")) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    function retry() {
      if (form.classList.contains("htmx-request")) {
        form.addEventListener("htmx:afterRequest", function again() {
          form.removeEventListener("htmx:afterRequest", again);
          setTimeout(retry, 0);
        });
        return;
      }
      if (submitter && form.requestSubmit) {
        form.requestSubmit(submitter);
      } else {
        form.submit();
      }
    }
    retry();
  }, true);

  document.addEventListener("htmx:sendError", reportFailure);
  document.addEventListener("htmx:timeout", reportFailure);
  document.addEventListener("htmx:responseError", reportFailure);
})();
