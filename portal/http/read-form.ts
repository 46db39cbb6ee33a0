import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Readable } from 'node:stream';
import { Busboy, type BusboyFileStream, type BusboyInstance } from '@fastify/busboy';
import type { Context } from 'hono';

/**
 * What one form post may hold. Every number is checked while the body is
 * read, whatever its framing (Content-Length or chunked): a body is never
 * read past its limit, and files are handed on as they arrive rather than
 * held in memory.
 */
export interface FormLimits {
  /** The whole body, files included. */
  maxBytes: number;
  /** Text fields (a field over the count is refused, not dropped). */
  maxFields: number;
  /** One text field, in bytes of UTF-8. */
  maxFieldBytes: number;
  /** File parts; 0 for a form that takes none. */
  maxFiles: number;
}

export type FormBodyProblem =
  /** The body is larger than its limit. */
  | 'too_large'
  /** More fields or files than the form has, or a field longer than any it asks for. */
  | 'too_many_parts'
  /** Not a well-formed multipart or URL-encoded body (cut off, bad boundary, bad headers). */
  | 'malformed'
  /** The form's anti-forgery token was not the first thing sent, or did not match. */
  | 'token';

/** A form body refused while it was read; nothing it carried was kept. */
export class FormBodyError extends Error {
  readonly code: `form.${FormBodyProblem}`;

  constructor(readonly problem: FormBodyProblem) {
    super(`the form body was refused: ${problem}`);
    this.code = `form.${problem}`;
  }
}

export type FormFields = Record<string, string | string[]>;

export interface ReadFormOptions<T> {
  limits: FormLimits;
  /**
   * Checks the fields sent before the first file (the page's token comes
   * first): a post from a page we did not show is refused before any file
   * is written. Without it, files are taken as they come.
   */
  beforeFiles?: (fields: FormFields) => boolean;
  /**
   * Takes one file as it arrives; must read the stream to its end. (Evidence
   * is stored by its hash and may already belong to another report, so a
   * file taken before a later part is refused is not deleted again.)
   */
  onFile?: (file: { field: string; fileName: string; stream: AsyncIterable<Uint8Array> }) => Promise<T>;
}

export interface ReadForm<T> {
  fields: FormFields;
  files: Array<{ field: string; fileName: string; result: T }>;
}

function addField(fields: FormFields, name: string, value: string): void {
  const existing = fields[name];
  if (existing === undefined) fields[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else fields[name] = [existing, value];
}

/** The first value of a field, as text (a form field is never trusted to be there once). */
export function fieldText(fields: FormFields, name: string): string | undefined {
  const value = fields[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a field, in the order sent. */
export function fieldValues(fields: FormFields, name: string): string[] {
  const value = fields[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Reads a multipart or URL-encoded form body within its limits, streaming:
 * the body is cut at `maxBytes` even when it is sent chunked, a count of
 * parts or a field over its size is refused, a body that is cut off or not
 * well formed is refused, and the token is checked before the first file.
 * Any refusal is a FormBodyError, for the route to answer with a 4xx.
 */
export async function readForm<T = never>(c: Context, options: ReadFormOptions<T>): Promise<ReadForm<T>> {
  const { limits } = options;
  const contentType = c.req.header('content-type') ?? '';
  const declared = Number(c.req.header('content-length') ?? 0);
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw new FormBodyError('too_large');
  const body = c.req.raw.body;
  const fields: FormFields = {};
  const files: ReadForm<T>['files'] = [];
  if (!body) return { fields, files };

  let parser: BusboyInstance;
  try {
    parser = Busboy({
      headers: { 'content-type': contentType },
      limits: {
        // One more than allowed of each, so going over is seen rather than silently truncated.
        fields: limits.maxFields + 1,
        files: limits.maxFiles + (limits.maxFiles > 0 ? 1 : 0),
        parts: limits.maxFields + limits.maxFiles + 1,
        fieldSize: limits.maxFieldBytes + 1,
        fieldNameSize: 200,
        headerPairs: 20,
      },
    });
  } catch {
    // Neither multipart (with a boundary) nor URL-encoded.
    throw new FormBodyError('malformed');
  }

  return new Promise<ReadForm<T>>((resolve, reject) => {
    let settled = false;
    let tokenChecked = false;
    const pending: Array<Promise<void>> = [];
    const openFiles = new Set<BusboyFileStream>();
    let fieldCount = 0;
    let fileCount = 0;
    const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
    let received = 0;

    const fail = (problem: FormBodyProblem | unknown) => {
      if (settled) return;
      settled = true;
      source.unpipe(parser);
      source.destroy();
      parser.removeAllListeners('file');
      // A file still being written is cut off too, so its writer drops what it has.
      for (const stream of openFiles) stream.destroy(new Error('the form was refused'));
      reject(typeof problem === 'string' ? new FormBodyError(problem as FormBodyProblem) : problem);
    };

    source.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBytes) fail('too_large');
    });
    source.on('error', () => fail('malformed'));

    parser.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
      fieldCount += 1;
      if (fieldCount > limits.maxFields || valueTruncated || Buffer.byteLength(value) > limits.maxFieldBytes)
        return fail('too_many_parts');
      addField(fields, name, value);
    });
    parser.on('file', (field: string, stream: BusboyFileStream, fileName: string) => {
      if (settled) return void stream.resume();
      fileCount += 1;
      if (fileCount > limits.maxFiles || !options.onFile) {
        stream.resume();
        return fail('too_many_parts');
      }
      if (!tokenChecked && options.beforeFiles) {
        tokenChecked = true;
        if (!options.beforeFiles(fields)) {
          stream.resume();
          return fail('token');
        }
      }
      openFiles.add(stream);
      stream.once('close', () => openFiles.delete(stream));
      const taken = options
        .onFile({ field, fileName, stream })
        .then((result) => {
          files.push({ field, fileName, result });
        })
        .catch((error: unknown) => {
          stream.resume();
          fail(error);
        });
      pending.push(taken);
    });
    parser.on('partsLimit', () => fail('too_many_parts'));
    parser.on('filesLimit', () => fail('too_many_parts'));
    parser.on('fieldsLimit', () => fail('too_many_parts'));
    parser.on('error', () => fail('malformed'));
    parser.on('finish', () => {
      void Promise.all(pending).then(() => {
        if (settled) return;
        settled = true;
        resolve({ fields, files });
      });
    });
    source.pipe(parser);
  });
}
