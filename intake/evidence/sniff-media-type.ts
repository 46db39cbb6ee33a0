/**
 * The real type of an uploaded file, read from its first bytes, never from
 * its name or the type the sender claims: a screenshot renamed to .pdf, or a
 * program renamed to .jpg, is told apart here.
 */
export interface SniffedType {
  mediaType: string;
  extension: string;
}

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** ISO base media files (HEIC, MP4, QuickTime) name their family in the `ftyp` box. */
function isoBrand(bytes: Uint8Array): string | undefined {
  return bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp' ? ascii(bytes, 8, 12) : undefined;
}

/** The file extension each storable type is kept under: a fixed list, so a stored path can only be one of these. */
const extensions = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
  'video/quicktime': 'mov',
  'video/mp4': 'mp4',
  // Voice notes and audio a person records in a chat (Telegram voice: Ogg Opus; LINE audio: M4A).
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
} as const satisfies Record<string, string>;

export const storableTypes: ReadonlySet<string> = new Set(Object.keys(extensions));

export function extensionOf(mediaType: string): string | undefined {
  return Object.hasOwn(extensions, mediaType) ? extensions[mediaType as keyof typeof extensions] : undefined;
}

/** A type read from the bytes, with the extension it is stored under. */
function sniffed(mediaType: keyof typeof extensions): SniffedType {
  return { mediaType, extension: extensions[mediaType] };
}

export function sniffMediaType(bytes: Uint8Array): SniffedType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return sniffed('image/jpeg');
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return sniffed('image/png');
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return sniffed('image/gif');
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return sniffed('image/webp');
  if (ascii(bytes, 0, 5) === '%PDF-') return sniffed('application/pdf');
  const brand = isoBrand(bytes);
  if (brand && ['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return sniffed('image/heic');
  if (brand === 'qt  ') return sniffed('video/quicktime');
  if (brand === 'M4A ') return sniffed('audio/mp4');
  if (ascii(bytes, 0, 4) === 'OggS') return sniffed('audio/ogg');
  if (ascii(bytes, 0, 3) === 'ID3' || startsWith(bytes, [0xff, 0xfb])) return sniffed('audio/mpeg');
  if (brand && ['isom', 'iso2', 'mp41', 'mp42', 'avc1', 'M4V ', '3gp4', '3gp5', 'dash'].includes(brand))
    return sniffed('video/mp4');
  return undefined;
}

export const imageTypes: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
]);
export const documentTypes: ReadonlySet<string> = new Set(['application/pdf']);
export const videoTypes: ReadonlySet<string> = new Set(['video/mp4', 'video/quicktime']);
export const audioTypes: ReadonlySet<string> = new Set(['audio/ogg', 'audio/mp4', 'audio/mpeg']);
