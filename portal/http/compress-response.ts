import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Below this many bytes compression saves less than the headers it costs. */
export const minimumCompressedBytes = 1024;

const compressible = /^(text\/html|text\/css|text\/javascript|application\/javascript)\b/;

export type ContentCoding = 'br' | 'gzip';

/**
 * The coding a client accepts that we prefer: Brotli, then gzip; none when it
 * names neither or refuses both (`;q=0`). A reporter on a 2G link in a compound
 * pays for every byte.
 */
export function chosenCoding(acceptEncoding: string | undefined): ContentCoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find(Boolean);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (coding: ContentCoding) => accepted.get(coding) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return undefined;
}

/** Compresses a body with the coding; Brotli at a quality fast enough for a page made per request. */
export async function compressBody(body: Uint8Array, coding: ContentCoding, quality = 5): Promise<Buffer> {
  return coding === 'br'
    ? brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: quality,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
        },
      })
    : gzipAsync(body, { level: quality >= 9 ? 9 : 6 });
}

/**
 * Compresses HTML, CSS and JavaScript answers above a small size with Brotli or
 * gzip, as the client accepts (Node's zlib, no extra library). An answer that
 * already has a coding (the pre-compressed assets) or no body passes unchanged.
 */
export const compressResponses: MiddlewareHandler = async (c, next) => {
  await next();
  const response = c.res;
  if (!/accept-encoding/i.test(response.headers.get('Vary') ?? '')) response.headers.append('Vary', 'Accept-Encoding');
  if (c.req.method === 'HEAD' || !response.body || response.headers.has('Content-Encoding')) return;
  if (!compressible.test(response.headers.get('Content-Type') ?? '')) return;
  const coding = chosenCoding(c.req.header('accept-encoding'));
  if (!coding) return;
  const body = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  const small = body.byteLength < minimumCompressedBytes;
  const sent = small ? body : new Uint8Array(await compressBody(body, coding));
  if (!small) headers.set('Content-Encoding', coding);
  headers.set('Content-Length', String(sent.byteLength));
  // Unset first: Hono would otherwise copy the old answer's headers (its length) onto the new one.
  c.res = undefined;
  c.res = new Response(sent, { status: response.status, statusText: response.statusText, headers });
};
