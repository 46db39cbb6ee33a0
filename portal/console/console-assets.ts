import { Hono } from 'hono';

/** The console's only style sheet: dense enough for a long shift, readable on a phone in the field. */
const styleSheet = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --accent: #0b5394; --danger: #a40000; --ok: #1e6b2a; --line: #c8c8c8; --soft: #f3f6f9; }
* { box-sizing: border-box; }
body { margin: 0; font: .95rem/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; color: var(--ink); background: #fff; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f0a000; outline-offset: 2px; }
.console-header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .5rem 1rem; background: #102a43; color: #fff; }
.console-header a { color: #fff; }
.console-header .brand { font-weight: 700; text-decoration: none; }
.console-header nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
.signed-in { margin-inline-start: auto; display: flex; align-items: center; gap: .5rem; }
main { padding: 1rem; max-width: 90rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: start; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
.table-wrap { overflow-x: auto; }
.urgent-badge { background: var(--danger); color: #fff; border-radius: .3rem; padding: 0 .4rem; font-weight: 700; font-size: .8rem; }
.badge { border: 1px solid var(--line); border-radius: .3rem; padding: 0 .4rem; font-size: .8rem; white-space: nowrap; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; background: var(--soft); padding: .75rem; border-radius: .4rem; }
.filters label, .stacked label { display: block; font-weight: 600; font-size: .85rem; }
input, select, textarea, button { font: inherit; }
input[type=text], input[type=password], input[type=search], select, textarea { padding: .35rem .5rem; border: 1px solid #767676; border-radius: .3rem; min-height: 2.2rem; max-width: 100%; }
textarea { width: 100%; }
button { padding: .4rem .9rem; border-radius: .3rem; border: 1px solid var(--accent); background: #fff; color: var(--accent); cursor: pointer; min-height: 2.2rem; }
button.primary { background: var(--accent); color: #fff; }
button.danger { border-color: var(--danger); color: var(--danger); }
.case-layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; }
@media (min-width: 70rem) { .case-layout { grid-template-columns: minmax(0, 2fr) minmax(20rem, 1fr); } }
.panel { border: 1px solid var(--line); border-radius: .4rem; padding: .75rem; margin-bottom: 1rem; }
.panel h2 { margin-top: 0; }
dl.fields { display: grid; grid-template-columns: minmax(10rem, 30%) 1fr; gap: .2rem 1rem; margin: 0; }
dl.fields dt { font-weight: 600; color: var(--muted); }
dl.fields dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.reporter-text { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); padding: .5rem; border-radius: .3rem; }
.notice { background: #eef7ee; border-inline-start: 4px solid var(--ok); padding: .5rem .75rem; }
.error { color: var(--danger); font-weight: 600; }
.hint { color: var(--muted); font-size: .85rem; }
.evidence { display: flex; flex-wrap: wrap; gap: .75rem; list-style: none; padding: 0; }
.evidence img { max-width: 12rem; max-height: 12rem; border: 1px solid var(--line); display: block; }
.history li { margin: .25rem 0; }
.stacked > * { margin: .4rem 0; }
.inline-form { display: inline; }
.login { max-width: 24rem; margin: 3rem auto; }
.login input { width: 100%; }
.pager { margin: 1rem 0; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

export function createConsoleAssets() {
  const app = new Hono();
  app.get('/assets/console.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(styleSheet, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  return app;
}
