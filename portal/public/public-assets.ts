import { Hono } from 'hono';

/**
 * The only style sheet and script of the public pages, served by us: no CDN,
 * no font service, no analytics. The script only adds the quick exit (Escape
 * twice); every page works without it.
 */
const styleSheet = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --accent: #0b5394; --danger: #a40000; --bg: #ffffff; --bubble: #eef3f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 1.05rem/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f0a000; outline-offset: 2px; }
.leave { position: sticky; top: 0; display: flex; justify-content: flex-end; padding: .5rem 1rem; background: #fff8e6; border-bottom: 1px solid #e0c070; z-index: 1; }
.leave a { background: var(--danger); color: #fff; padding: .5rem 1rem; border-radius: .4rem; text-decoration: none; font-weight: 700; }
.hint { color: var(--muted); font-size: .9rem; }
.transcript { list-style: none; padding: 0; }
.transcript li { margin: .5rem 0; padding: .6rem .8rem; border-radius: .6rem; white-space: pre-wrap; }
.transcript .reportline { background: var(--bubble); }
.transcript .reporter { background: #e9f5e9; margin-inline-start: 2rem; }
.who { display: block; font-size: .8rem; color: var(--muted); }
.choices { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0 1rem; }
button, .button { font: inherit; padding: .6rem 1rem; border-radius: .4rem; border: 1px solid var(--accent); background: #fff; color: var(--accent); cursor: pointer; min-height: 44px; }
button.primary { background: var(--accent); color: #fff; }
textarea, input, select { width: 100%; font: inherit; padding: .5rem; border: 1px solid #767676; border-radius: .4rem; min-height: 44px; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
.error { color: var(--danger); font-weight: 600; }
.commands { display: flex; gap: .5rem; margin-top: .5rem; }
@media print { .leave, form, .commands { display: none; } }
`;

const quickExit = `
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
`;

export function createPublicAssets() {
  const app = new Hono();
  app.get('/assets/site.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(styleSheet, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  app.get('/assets/quick-exit.js', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(quickExit, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  return app;
}
