// The quick exit: the link at the top of every public page, and Escape twice. Every page works without it.
(function () {
  var target = document.querySelector('a[data-leave]');
  if (!target) return;
  var last = 0;
  function leave(event) {
    if (event) event.preventDefault();
    // replace(): the back button must not bring anyone back here.
    window.location.replace(target.getAttribute('href'));
  }
  target.addEventListener('click', leave);
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var now = Date.now();
    if (now - last < 1500) leave();
    last = now;
  });
})();
