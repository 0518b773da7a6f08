// custom_metadata of KV v2 secrets: decoding (string→string, weakly) and Vault's size limits.

import { CofferError } from '../../shared/index.js';

export const MAX_CUSTOM_METADATA_KEYS = 64;
export const MAX_CUSTOM_METADATA_KEY_BYTES = 128;
export const MAX_CUSTOM_METADATA_VALUE_BYTES = 512;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const unprintable = /[\u0000-\u001f\u007f]/;

function fail(problems: string[]): CofferError {
  const n = problems.length;
  const list = problems.map((p) => `\t* ${p}`).join('\n');
  return new CofferError('invalid_request', `custom_metadata validation failed: ${n} error${n === 1 ? '' : 's'} occurred:\n${list}\n\n`);
}

/** Decodes one value weakly (strings, numbers, booleans); null is allowed only when `allowNull`. */
function decodeValue(key: string, v: unknown, allowNull: boolean): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null && allowNull) return null;
  if (v === null) return '';
  throw fail([`value for key ${JSON.stringify(key)} must be a string`]);
}

/** Parses a full custom_metadata map (metadata write). */
export function decodeCustomMetadata(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = decodeValue(k, v, false) ?? '';
  return out;
}

/** Merges a patch into existing custom metadata: a null value removes the key. */
export function mergeCustomMetadata(current: Record<string, string> | null, patch: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(patch)) {
    const s = decodeValue(k, v, true);
    if (s === null) delete out[k];
    else out[k] = s;
  }
  return out;
}

/** Throws 400 `custom_metadata validation failed: …` when the map breaks Vault's limits. */
export function validateCustomMetadata(m: Record<string, string>): void {
  const keys = Object.keys(m);
  if (keys.length > MAX_CUSTOM_METADATA_KEYS) {
    throw fail([`payload must contain at most ${MAX_CUSTOM_METADATA_KEYS} keys, provided ${keys.length}`]);
  }
  const problems: string[] = [];
  for (const k of keys.sort()) {
    const v = m[k] ?? '';
    const kl = bytes(k);
    if (kl === 0 || kl > MAX_CUSTOM_METADATA_KEY_BYTES) {
      problems.push(`length of key ${JSON.stringify(k)} is ${kl} but must be 0 < len(key) <= ${MAX_CUSTOM_METADATA_KEY_BYTES}`);
    }
    const vl = bytes(v);
    if (vl > MAX_CUSTOM_METADATA_VALUE_BYTES) {
      problems.push(`length of value for key ${JSON.stringify(k)} is ${vl} but must be <= ${MAX_CUSTOM_METADATA_VALUE_BYTES}`);
    }
    if (unprintable.test(k)) problems.push(`key ${JSON.stringify(k)} contains unprintable characters`);
    if (unprintable.test(v)) problems.push(`value for key ${JSON.stringify(k)} contains unprintable characters`);
  }
  if (problems.length > 0) throw fail(problems);
}
