import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EvidenceRejectedError,
  holdsEvidence,
  readEvidenceFile,
  saveEvidenceFile,
} from '../../intake/evidence/evidence-files.js';
import { documentTypes, imageTypes, sniffMediaType } from '../../intake/evidence/sniff-media-type.js';

const folder = mkdtempSync(join(tmpdir(), 'reportline-evidence-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const bytes = (...parts: Array<number[] | string>) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

/** The first bytes of real files of each type, followed by some content. */
const samples = {
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x16], 'Exif\0\0', 'GPS 10.6278N 103.5225E', [0xff, 0xd9]),
  png: bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR chat screenshot'),
  gif: bytes('GIF89a', 'animation'),
  webp: bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 image'),
  heic: bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic'),
  pdf: bytes('%PDF-1.7\n%bank receipt'),
  mp4: bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0], 'isomiso2avc1mp41'),
};

describe('telling a file’s type from its bytes', () => {
  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
    ['heic', 'image/heic'],
    ['pdf', 'application/pdf'],
    ['mp4', 'video/mp4'],
  ] as const)('recognises %s', (sample, mediaType) => {
    expect(sniffMediaType(samples[sample])?.mediaType).toBe(mediaType);
  });

  it('recognises nothing in a program, a script or text', () => {
    for (const other of [
      bytes('MZ', [0x90, 0]),
      bytes('#!/bin/sh\nrm -rf /'),
      bytes('<html><script>'),
      bytes([0x7f], 'ELF'),
    ]) {
      expect(sniffMediaType(other)).toBeUndefined();
    }
  });
});

describe('storing evidence', () => {
  const limits = { maxBytes: 1024, allowedTypes: new Set([...imageTypes, ...documentTypes]) };

  it('stores the file exactly as sent, under its hash, and describes it', () => {
    const evidence = saveEvidenceFile(folder, samples.jpeg, { fileName: 'chat.jpg', limits });
    const sha256 = createHash('sha256').update(samples.jpeg).digest('hex');
    expect(evidence).toEqual({ fileName: 'chat.jpg', mediaType: 'image/jpeg', size: samples.jpeg.length, sha256 });
    // The location in the photo's metadata is kept for investigators.
    expect(readFileSync(join(folder, 'evidence', sha256.slice(0, 2), `${sha256}.jpg`)).equals(samples.jpeg)).toBe(true);
    expect(readEvidenceFile(folder, evidence)?.equals(samples.jpeg)).toBe(true);
    expect(holdsEvidence(folder, evidence)).toBe(true);
    expect(holdsEvidence(folder, { ...evidence, size: evidence.size + 1 })).toBe(false);
  });

  it('stores the same file once however often it is sent, and leaves no partial file behind', () => {
    const first = saveEvidenceFile(folder, samples.png, { fileName: 'a.png', limits });
    const again = saveEvidenceFile(folder, samples.png, { fileName: 'again.png', limits });
    expect(again.sha256).toBe(first.sha256);
    const stored = readdirSync(join(folder, 'evidence'), { recursive: true }).map(String);
    expect(stored.filter((name) => name.includes(first.sha256))).toHaveLength(1);
    expect(stored.some((name) => name.endsWith('.partial'))).toBe(false);
  });

  it('refuses a file whose bytes are not an accepted type, whatever its name says', () => {
    expect(() => saveEvidenceFile(folder, bytes('MZ', [0x90, 0, 3]), { fileName: 'photo.jpg', limits })).toThrow(
      EvidenceRejectedError,
    );
    expect(() => saveEvidenceFile(folder, samples.mp4, { fileName: 'video.mp4', limits })).toThrow(
      /not of an accepted type/,
    );
  });

  it('refuses a file over the size limit and an empty one', () => {
    const large = Buffer.concat([samples.png, Buffer.alloc(2048)]);
    expect(() => saveEvidenceFile(folder, large, { limits })).toThrow(
      expect.objectContaining({ code: 'evidence.too_large' }),
    );
    expect(() => saveEvidenceFile(folder, Buffer.alloc(0), { limits })).toThrow(
      expect.objectContaining({ code: 'evidence.empty' }),
    );
  });

  it('keeps only a safe file name: no folders, no control characters', () => {
    expect(saveEvidenceFile(folder, samples.pdf, { fileName: '../../etc/passwd\u0000.pdf', limits }).fileName).toBe(
      'passwd.pdf',
    );
    expect(saveEvidenceFile(folder, samples.gif, { limits }).fileName).toBe('evidence.gif');
  });
});
