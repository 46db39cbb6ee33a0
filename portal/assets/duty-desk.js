// The duty desk's counts, kept current while a console page stays open: every 20 seconds the page asks
// /staff/duty-desk.json and writes the numbers into the banner. No sound, no flashing; without this script the
// banner is as fresh as the page. A failed request leaves the numbers as they were.
(function () {
  'use strict';
  var desk = document.querySelector('[data-duty-desk]');
  if (!desk || !window.fetch) return;
  function refresh() {
    window
      .fetch('/staff/duty-desk.json', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (counts) {
        if (!counts) return;
        ['waiting', 'overdue', 'escalated'].forEach(function (name) {
          var cell = desk.querySelector('[data-duty-count="' + name + '"]');
          if (cell && typeof counts[name] === 'number') cell.textContent = String(counts[name]);
        });
        if (typeof counts.waiting === 'number') {
          desk.setAttribute('data-waiting', String(counts.waiting));
          desk.classList.toggle('waiting', counts.waiting > 0);
        }
      })
      // A failed look (offline, signed out) leaves the numbers as they were; the next one tries again.
      .catch(function () {});
  }
  window.setInterval(refresh, 20000);
})();
