import { serveAssets } from '../assets/serve-assets.js';

/**
 * The only style sheet and scripts of the public pages, served by us: no CDN,
 * no font service, no analytics. The scripts add the quick exit (Escape
 * twice), the receipt's copy and print buttons, and the form's check that a text step is not too long to
 * send (form-size.js, which keeps what was typed in the page); every page works without them.
 */
export function createPublicAssets() {
  return serveAssets(['site.css', 'quick-exit.js', 'receipt.js', 'form-size.js']);
}
