import { existsSync } from 'node:fs';
import { customAlphabet } from 'nanoid';
import { lockPath, sessionPath } from './paths.js';

/**
 * Lowercase letters and digits without the look-alikes 0/o, 1/l/i: easy to read aloud and type.
 * 31 symbols, so 8 of them give about 8.5 × 10^11 ids.
 */
export const SESSION_ID_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

/** Length of a session id, in characters. */
export const SESSION_ID_LENGTH = 8;

const generate = customAlphabet(SESSION_ID_ALPHABET, SESSION_ID_LENGTH);

const SHAPE = new RegExp(`^[${SESSION_ID_ALPHABET}]{${SESSION_ID_LENGTH}}$`);

/** True when `s` has the shape of an id made by {@link newSessionId}. */
export function isSessionId(s: string): boolean {
  return SHAPE.test(s);
}

/**
 * A new random session id (nanoid's `customAlphabet`, crypto-random) that names no existing
 * transcript or lock file in `dir`. The check is a courtesy: the transcript is still created with
 * O_EXCL (store.ts), which is the real guard against a racing window.
 * @param dir the sessions directory (need not exist)
 * @throws Error after 100 colliding draws (only possible with a broken random source)
 */
export function newSessionId(dir: string): string {
  for (let i = 0; i < 100; i++) {
    const id = generate();
    if (!existsSync(sessionPath(dir, id)) && !existsSync(lockPath(dir, id))) return id;
  }
  throw new Error('Could not find an unused session id');
}
