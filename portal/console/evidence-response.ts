import type { Evidence } from '../../intake/store/report-followups.js';

/** Images a browser shows safely as they are: raster formats, never SVG (which can carry script). */
const inlineTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/**
 * One evidence file for a reader allowed to see it (found by its hash alone,
 * never by a path from the record, in viewEvidence). Images open in the page; every other
 * file (PDFs, videos, HEIC photos) is a download, so it never runs in the
 * console's origin. The type is the one read from the bytes when the file
 * arrived, and the browser is told not to guess another.
 */
export function evidenceResponse(file: Evidence, bytes: Buffer): Response {
  const inline = inlineTypes.has(file.mediaType);
  const name = encodeURIComponent(file.fileName);
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      'Content-Type': inline ? file.mediaType : 'application/octet-stream',
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="evidence"; filename*=UTF-8''${name}`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; sandbox",
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
    },
  });
}
