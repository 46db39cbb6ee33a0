// The quick exit: the button at the top of every public page, and Escape twice. Without this script the
// button is a plain form posting to /leave, which ends the visit and replaces the page with the neutral site.
(function () {
  var form = document.querySelector('form[data-exit]');
  if (!form) return;
  var target = form.getAttribute('data-exit');
  var leaving = false;
  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    // Nothing of the page stays on screen while the visit is ended on the server.
    document.title = '';
    document.body.textContent = '';
    var done = function () {
      // replace(): this page's entry becomes the neutral site, so Back does not bring anyone here.
      window.location.replace(target);
    };
    // The server expires the visit's cookies (and asks the browser to drop its copies); on a slow link
    // the page is left after two seconds at most, the cookies still ending with the browser session.
    var timer = window.setTimeout(done, 2000);
    window.fetch('/leave', { method: 'POST', credentials: 'same-origin', keepalive: true, redirect: 'manual' }).then(
      function () {
        window.clearTimeout(timer);
        done();
      },
      function () {
        window.clearTimeout(timer);
        done();
      },
    );
  }
  form.addEventListener('submit', leave);
  var last = 0;
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var now = Date.now();
    if (now - last < 1500) leave();
    last = now;
  });
})();
