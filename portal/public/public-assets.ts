import { serveAssets } from '../assets/serve-assets.js';

/**
 * The only style sheet and scripts of the public pages, served by us: no CDN,
 * no font service, no analytics. The scripts add the quick exit (Escape
 * twice) and the receipt's copy and print buttons; every page works without them.
 */
export function createPublicAssets() {
  return serveAssets(['site.css', 'quick-exit.js', 'receipt.js']);
}
