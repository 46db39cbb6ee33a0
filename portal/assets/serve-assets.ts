import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { chosenCoding, minimumCompressedBytes } from '../http/compress-response.js';

/** The kinds of file served from this folder; any other name is a programming mistake, refused at start-up. */
const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

const assetFolder = new URL('./', import.meta.url);
const safeName = /^[a-z0-9-]+\.[a-z]+$/;

/** Whether an If-None-Match header names this ETag (a list, weak validators and `*` included). */
function matchesETag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/**
 * Serves files of portal/assets at `/assets/<name>`: each named here is read
 * once, when the routes are made, so no request ever names a path on disk and
 * a missing file stops start-up rather than a page. The ETag is the hash of
 * the content, so a browser revalidates with a cheap 304 after a deployment.
 * Each file is compressed once too (Brotli at its best, and gzip), and sent in
 * the coding the browser accepts.
 */
export function serveAssets(names: readonly string[]): Hono {
  const app = new Hono();
  for (const name of names) {
    const type = contentTypes[extname(name)];
    if (!safeName.test(name) || !type) throw new Error(`Not an asset name: ${name}`);
    const body = readFileSync(new URL(name, assetFolder));
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    const coded =
      body.byteLength < minimumCompressedBytes
        ? undefined
        : {
            br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
            gzip: gzipSync(body, { level: 9 }),
          };
    const headers = {
      ETag: etag,
      'Cache-Control': 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Accept-Encoding',
    };
    app.get(`/assets/${name}`, (c) => {
      if (matchesETag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
      const coding = coded ? chosenCoding(c.req.header('accept-encoding')) : undefined;
      return coding && coded
        ? c.body(new Uint8Array(coded[coding]), 200, { ...headers, 'Content-Type': type, 'Content-Encoding': coding })
        : c.body(new Uint8Array(body), 200, { ...headers, 'Content-Type': type });
    });
  }
  return app;
}
