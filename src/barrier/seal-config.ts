// The Shamir seal configuration (share count and threshold). Nothing in it is secret, so it is
// stored as plain JSON; its presence is what "initialized" means.
import { CofferError, invalidRequest } from '../shared/index.js';

export interface SealConfig {
  readonly type: 'shamir';
  readonly secretShares: number;
  readonly secretThreshold: number;
}

/**
 * Validates init parameters with Vault's exact 400 messages (CofferError invalid_request).
 * Non-integers are rejected too.
 */
export function validateSealConfig(secretShares: number, secretThreshold: number): SealConfig {
  const bad = (why: string): CofferError => invalidRequest(`invalid seal configuration: ${why}`);
  if (!Number.isInteger(secretShares) || !Number.isInteger(secretThreshold)) {
    throw bad('shares and threshold must be integers');
  }
  if (secretShares < 1) throw bad('shares must be at least one');
  if (secretThreshold < 1) throw bad('threshold must be at least one');
  if (secretShares > 1 && secretThreshold === 1) throw bad('threshold must be greater than one for multiple shares');
  if (secretShares > 255) throw bad('shares must be less than 256');
  if (secretThreshold > secretShares) throw bad('threshold cannot be larger than shares');
  return { type: 'shamir', secretShares, secretThreshold };
}

export function encodeSealConfig(c: SealConfig): Uint8Array {
  const json = JSON.stringify({ type: c.type, secret_shares: c.secretShares, secret_threshold: c.secretThreshold });
  return new TextEncoder().encode(json);
}

/** Parses the stored form; throws internal when it is not a valid Shamir configuration. */
export function decodeSealConfig(bytes: Uint8Array): SealConfig {
  const corrupt = (): CofferError => new CofferError('internal', 'stored seal configuration is corrupt');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw corrupt();
  }
  if (typeof raw !== 'object' || raw === null) throw corrupt();
  const o = raw as Record<string, unknown>;
  if (o['type'] !== 'shamir' || typeof o['secret_shares'] !== 'number' || typeof o['secret_threshold'] !== 'number') {
    throw corrupt();
  }
  try {
    return validateSealConfig(o['secret_shares'], o['secret_threshold']);
  } catch {
    throw corrupt();
  }
}
