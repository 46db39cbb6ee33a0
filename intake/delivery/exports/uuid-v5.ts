import { createHash } from 'node:crypto';

/**
 * A name-based UUID, version 5 (SHA-1; RFC 9562 §5.5, formerly RFC 4122): the
 * same namespace and name always give the same id, so the MISP and STIX
 * exports name a case's objects alike on every export and a re-import
 * updates rather than duplicates.
 */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
