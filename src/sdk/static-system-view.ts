// A fixed SystemView for driving a backend without a core (plugin unit tests): constant TTLs and
// passwords from the default password policy.

import { DEFAULT_PASSWORD_POLICY, generatePassword } from '../shared/index.js';
import type { SystemView } from './request.js';

/** TTLs in seconds; both default to Vault's 32 days. */
export function staticSystemView(ttls: { defaultLeaseTtl?: number; maxLeaseTtl?: number } = {}): SystemView {
  return {
    defaultLeaseTtl: () => ttls.defaultLeaseTtl ?? 2764800,
    maxLeaseTtl: () => ttls.maxLeaseTtl ?? 2764800,
    generatePassword: async () => generatePassword(DEFAULT_PASSWORD_POLICY),
  };
}
