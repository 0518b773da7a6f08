// Physical keys the barrier keeps for itself. SecureStorage callers can neither read, write,
// delete nor list them, so nothing above the barrier can clobber the keyring.

export const KEYRING_KEY = 'core/keyring';
export const ROOT_KEY_KEY = 'core/root-key';
export const SEAL_CONFIG_KEY = 'core/seal-config';

const reserved: ReadonlySet<string> = new Set([KEYRING_KEY, ROOT_KEY_KEY, SEAL_CONFIG_KEY]);

export function isReservedKey(key: string): boolean {
  return reserved.has(key);
}
