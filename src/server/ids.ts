/**
 * Identifier generators in the real API's formats (`req_011C…`, `msg_011C…`; 24 characters
 * after the prefix, base62). docs/PROTOCOL.md §1 and §5.2 (every response has a `request-id`).
 */
import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[bytes[i % bytes.length]! % 62];
  return out;
}

/**
 * A fresh request id such as `req_011CYEXg9iLMo4YhB4XfkXBw`.
 *
 * @returns `"req_011C"` followed by 20 random base62 characters.
 */
export function newRequestId(): string {
  return `req_011C${base62(randomBytes(20), 20)}`;
}

/**
 * A deterministic message id such as `msg_011CczBWezemuqo5xUfertVi`, derived from a seed
 * string (so the same text gives the same stream).
 *
 * @param seed  any string; equal seeds give equal ids.
 * @returns `"msg_011C"` followed by 20 base62 characters.
 */
export function messageIdFor(seed: string): string {
  const bytes = new Uint8Array(20);
  let h = fnv1a(seed);
  for (let i = 0; i < bytes.length; i++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    h = (h + 0x9e3779b9 + i) >>> 0;
    bytes[i] = h & 0xff;
  }
  return `msg_011C${base62(bytes, 20)}`;
}

/**
 * 32-bit FNV-1a hash of a string's UTF-16 code units.
 *
 * @returns an unsigned 32-bit integer.
 */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A fresh random message id such as `msg_011CczBWezemuqo5xUfertVi`.
 *
 * @returns `"msg_011C"` followed by 20 random base62 characters.
 */
export function newMessageId(): string {
  return `msg_011C${base62(randomBytes(20), 20)}`;
}
