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
textarea, input, select { width: 100%; font: inherit; padding: .5rem; border: 1px solid #767676; border-radius: .4rem; min-height: 44px; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
.error { color: var(--danger); font-weight: 600; }
.commands { display: flex; gap: .5rem; margin-top: .5rem; }
button.primary, .button.primary { background: var(--accent); color: #fff; }
.button { display: inline-block; text-decoration: none; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.steps { list-style: none; padding: 0; margin: 0 0 1rem; display: flex; flex-wrap: wrap; gap: .25rem .75rem; font-size: .9rem; }
.steps a { text-decoration: none; }
.steps a[aria-current="step"] { font-weight: 700; text-decoration: underline; }
.step-number { display: inline-block; min-width: 1.5em; text-align: center; border-radius: 50%; background: var(--bubble); }
fieldset { border: 1px solid #c8c8c8; border-radius: .4rem; margin: .75rem 0; padding: .5rem .75rem; }
fieldset.field { border: none; padding: 0; }
legend { font-weight: 600; padding: 0; }
.field { margin: 1rem 0; }
.field.invalid { border-inline-start: 4px solid var(--danger); padding-inline-start: .75rem; }
.radios { display: flex; flex-direction: column; gap: .25rem; margin-top: .25rem; }
.radios.inline { flex-direction: row; flex-wrap: wrap; gap: .5rem 1.25rem; }
label.radio, label.checkbox { display: flex; align-items: center; gap: .5rem; font-weight: 400; margin: 0; min-height: 44px; }
label.radio input, label.checkbox input { width: 1.4rem; height: 1.4rem; min-height: 0; margin: 0; flex: none; }
.required { font-weight: 400; color: var(--muted); }
.error-summary { border: 3px solid var(--danger); padding: .5rem 1rem; margin: 1rem 0; }
.error-summary a { color: var(--danger); font-weight: 600; }
.urgent { border: 3px solid var(--danger); background: #fff4f4; padding: .5rem 1rem; margin: 1rem 0; }
.resume, .receipt { border: 2px solid var(--accent); background: var(--bubble); padding: .5rem 1rem; margin: 1.5rem 0; border-radius: .4rem; }
.code { font-family: ui-monospace, "Cascadia Mono", "Noto Sans Mono", monospace; font-size: 1.3rem; letter-spacing: .08em; overflow-wrap: anywhere; }
.code-link { overflow-wrap: anywhere; font-family: ui-monospace, monospace; }
.receipt-line { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin: .5rem 0; }
.receipt-label { min-width: 9rem; }
.notice { background: #eef7ee; border-inline-start: 4px solid #2e7d32; padding: .5rem .75rem; }
.group { margin: 1.5rem 0; }
details.group > summary { font-weight: 700; cursor: pointer; min-height: 44px; display: flex; align-items: center; }
.files { padding-inline-start: 1.2rem; }
.files li { margin: .5rem 0; }
.review-step dt { font-weight: 600; margin-top: .5rem; }
.review-step dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
@media (min-width: 40rem) { .review-step dl { display: grid; grid-template-columns: minmax(8rem, 40%) 1fr; gap: .25rem 1rem; } .review-step dt { margin-top: 0; } }
.form-buttons { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1.5rem 0 .5rem; }
.contacts a { font-weight: 700; }
@media print { .leave, form, .commands, .hint, nav { display: none; } .receipt { border-color: #000; } }
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

/**
 * The confirmation page's two conveniences, where a script may run: copying
 * a code, and printing. Without it the codes are plain text to select, and
 * the print-friendly page is a link.
 */
const receipt = `
(function () {
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(button.getAttribute('data-copy')).then(function () {
        button.textContent = button.getAttribute('data-copied');
      });
    });
  });
  document.querySelectorAll('button[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });
})();
`;

export function createPublicAssets() {
  const app = new Hono();
  const assets: Record<string, { body: string; type: string }> = {
    '/assets/site.css': { body: styleSheet, type: 'text/css; charset=utf-8' },
    '/assets/quick-exit.js': { body: quickExit, type: 'text/javascript; charset=utf-8' },
    '/assets/receipt.js': { body: receipt, type: 'text/javascript; charset=utf-8' },
  };
  for (const [path, asset] of Object.entries(assets)) {
    app.get(path, (c) => {
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(asset.body, 200, { 'Content-Type': asset.type });
    });
  }
  return app;
}
