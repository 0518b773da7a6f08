// The keyring: numbered encryption keys (terms). New writes use the active (newest) term; every
// older term keeps decrypting. Serialised as binary so key bytes never pass through JS strings.
import { randomFillSync } from 'node:crypto';
import { CofferError } from '../shared/index.js';
import { KEY_LEN } from './entry-cipher.js';

export interface KeyTerm {
  readonly term: number;
  /** Owned buffer; zeroed by wipeKeyring. */
  readonly key: Buffer;
  /** Milliseconds since the epoch. */
  readonly installTime: number;
}

export interface Keyring {
  readonly activeTerm: number;
  readonly terms: ReadonlyMap<number, KeyTerm>;
}

const FORMAT_VERSION = 1;
const TERM_RECORD_LEN = 4 + 8 + KEY_LEN;

/** A fresh key in its own (non-pooled) buffer, so wiping it cannot touch anything else. */
export function generateKey(): Buffer {
  const key = Buffer.alloc(KEY_LEN);
  randomFillSync(key);
  return key;
}

export function createKeyring(nowMs: number): Keyring {
  const first: KeyTerm = { term: 1, key: generateKey(), installTime: nowMs };
  return { activeTerm: 1, terms: new Map([[1, first]]) };
}

/** A keyring with one more term, which becomes active. Shares the older KeyTerm objects. */
export function addTerm(ring: Keyring, nowMs: number): Keyring {
  const term = ring.activeTerm + 1;
  const terms = new Map(ring.terms);
  terms.set(term, { term, key: generateKey(), installTime: nowMs });
  return { activeTerm: term, terms };
}

export function activeKey(ring: Keyring): KeyTerm {
  const t = ring.terms.get(ring.activeTerm);
  if (!t) throw new CofferError('internal', 'barrier keyring has no active term');
  return t;
}

/** Encodes: [u8 version][u32 active][u32 count] then per term [u32 term][f64 install ms][32 key]. */
export function encodeKeyring(ring: Keyring): Buffer {
  const out = Buffer.alloc(9 + ring.terms.size * TERM_RECORD_LEN);
  out[0] = FORMAT_VERSION;
  out.writeUInt32BE(ring.activeTerm, 1);
  out.writeUInt32BE(ring.terms.size, 5);
  let at = 9;
  for (const t of ring.terms.values()) {
    out.writeUInt32BE(t.term, at);
    out.writeDoubleBE(t.installTime, at + 4);
    t.key.copy(out, at + 12);
    at += TERM_RECORD_LEN;
  }
  return out;
}

/** Decodes a keyring, copying keys into owned buffers. Throws internal when malformed. */
export function decodeKeyring(bytes: Uint8Array): Keyring {
  const corrupt = (): CofferError => new CofferError('internal', 'barrier keyring is corrupt');
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 9 || b[0] !== FORMAT_VERSION) throw corrupt();
  const activeTerm = b.readUInt32BE(1);
  const count = b.readUInt32BE(5);
  if (b.length !== 9 + count * TERM_RECORD_LEN) throw corrupt();
  const terms = new Map<number, KeyTerm>();
  for (let i = 0, at = 9; i < count; i++, at += TERM_RECORD_LEN) {
    const key = Buffer.alloc(KEY_LEN);
    b.copy(key, 0, at + 12, at + 12 + KEY_LEN);
    const term = b.readUInt32BE(at);
    terms.set(term, { term, key, installTime: b.readDoubleBE(at + 4) });
  }
  if (!terms.has(activeTerm)) {
    wipeKeyring({ activeTerm, terms });
    throw corrupt();
  }
  return { activeTerm, terms };
}

/** Overwrites every key of the keyring with zeros. */
export function wipeKeyring(ring: Keyring): void {
  for (const t of ring.terms.values()) t.key.fill(0);
}
