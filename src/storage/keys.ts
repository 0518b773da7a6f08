// Key rules every backend shares: validity, the one sort order, and how a key shows up in a list.

import { CofferError, invalidRequest } from '../shared/index.js';
import type { Ciphertext } from './types.js';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Throws `invalid_request` unless `key` is well-formed Unicode without NUL: it must encode to UTF-8
 * losslessly and fit a PostgreSQL TEXT column.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string') throw invalidRequest('storage key must be a string');
  if (loneSurrogate.test(key)) throw invalidRequest('storage key is not well-formed Unicode');
  if (key.includes('\u0000')) throw invalidRequest('storage key contains a NUL character');
}

/**
 * Orders strings by Unicode code point, which equals UTF-8 byte order (SQLite BINARY, PostgreSQL
 * "C"). Plain `<` compares UTF-16 units and disagrees for astral characters vs U+E000..U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) must sort after U+E000..U+FFFF: lift them above that range.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x2000;
    else if (x >= 0xe000) x -= 0x800;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x2000;
    else if (y >= 0xe000) y -= 0x800;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The list entry `key` contributes under `prefix` (which `key` starts with): the remainder up to
 * and including its first '/'.
 */
export function listEntry(prefix: string, key: string): string {
  const slash = key.indexOf('/', prefix.length);
  return slash < 0 ? key.slice(prefix.length) : key.slice(prefix.length, slash + 1);
}

/** A private copy of caller bytes, as a plain Uint8Array. */
export function copyCiphertext(value: Uint8Array): Ciphertext {
  return new Uint8Array(value) as Ciphertext;
}

/** The rejection every backend gives once closed. */
export function closedError(): CofferError {
  return new CofferError('unavailable', 'storage backend is closed');
}
