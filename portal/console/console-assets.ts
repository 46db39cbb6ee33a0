import { serveAssets } from '../assets/serve-assets.js';

/** The console's only style sheet; its pages run no script. */
export function createConsoleAssets() {
  return serveAssets(['console.css']);
}
