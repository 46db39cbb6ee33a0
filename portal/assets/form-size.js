// A text step of the report form checks its size before the browser sends it, as the server will (the limits are
// the form's data-max-bytes and data-max-field-bytes, from portal/http/form-limits.ts). Over them the server must
// refuse the whole post, and the page it answers with cannot hold what was typed; here nothing is sent, everything
// stays in the page, and the notice says what to shorten. Without the script the server's page says it instead.
/* global TextEncoder, FormData, URLSearchParams -- the DOM's too, not in eslint's list for these scripts */
(function () {
  // A browser without them sends the post unchecked, as without the script.
  if (typeof TextEncoder === 'undefined' || typeof FormData === 'undefined' || typeof URLSearchParams === 'undefined')
    return;
  var encoder = new TextEncoder();
  document.querySelectorAll('form[data-max-bytes]').forEach(function (form) {
    var maxBytes = Number(form.getAttribute('data-max-bytes'));
    var maxFieldBytes = Number(form.getAttribute('data-max-field-bytes'));
    var notice = form.querySelector('[data-too-large]');
    form.addEventListener('submit', function (event) {
      var data = new FormData(form);
      var submitter = event.submitter;
      if (submitter && submitter.name) data.append(submitter.name, submitter.value);
      var fieldTooLarge = false;
      data.forEach(function (value) {
        if (typeof value === 'string' && encoder.encode(value).length > maxFieldBytes) fieldTooLarge = true;
      });
      // As the browser sends it: URL-encoded, each byte outside ASCII three characters.
      var bodyBytes = new URLSearchParams(data).toString().length;
      if (!fieldTooLarge && bodyBytes <= maxBytes) {
        if (notice) notice.hidden = true;
        return;
      }
      event.preventDefault();
      if (notice) {
        notice.hidden = false;
        notice.focus();
      }
    });
  });
})();
