import { serveAssets } from '../assets/serve-assets.js';

/** The console's style sheet, and the duty desk's small script (its counts kept current; pages work without it). */
export function createConsoleAssets() {
  return serveAssets(['console.css', 'duty-desk.js']);
}
