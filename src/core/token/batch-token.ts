// Batch tokens are never stored: the token itself is the record, sealed with AES-256-GCM under a
// key kept in the token store's view, and prefixed "hvb.". Tampering or a foreign key fails open
// as "unknown token", never as an error.

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { secureRandomBytes } from '../../shared/index.js';
import { BATCH_PREFIX } from './token-ids.js';
import type { TokenEntry } from './token-entry.js';

/** What a batch token carries: its record minus what is derived (idHash, accessor, status). */
export type BatchBody = Omit<TokenEntry, 'idHash' | 'accessor'>;

const AAD = Buffer.from('coffer-batch-token-v1');
const VERSION = 1;

/** Seals `body` into a batch token string. */
export function encodeBatchToken(key: Uint8Array, body: BatchBody): string {
  const nonce = secureRandomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(JSON.stringify(body), 'utf8'), cipher.final()]);
  const blob = Buffer.concat([Buffer.from([VERSION]), nonce, ct, cipher.getAuthTag()]);
  return BATCH_PREFIX + blob.toString('base64url');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Opens a batch token; undefined when it is not one of ours or was altered. */
export function decodeBatchToken(key: Uint8Array, token: string): Record<string, unknown> | undefined {
  if (!token.startsWith(BATCH_PREFIX)) return undefined;
  const blob = Buffer.from(token.slice(BATCH_PREFIX.length), 'base64url');
  if (blob.length < 1 + 12 + 16 + 2 || blob[0] !== VERSION) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13));
    decipher.setAAD(AAD);
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    const pt = Buffer.concat([decipher.update(blob.subarray(13, blob.length - 16)), decipher.final()]);
    const v = JSON.parse(pt.toString('utf8')) as unknown;
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
