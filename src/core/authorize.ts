// Authorisation decision for a request. Foundation scope: only root tokens exist, and root may do
// everything. The ACL (policies, capabilities, sudo) replaces the body of this function.

import type { Operation } from '../sdk/index.js';
import type { TokenEntry } from './token-store.js';

export type AclDecision = { kind: 'allow' } | { kind: 'deny' };

export function authorize(token: TokenEntry, _path: string, _operation: Operation, _needsSudo: boolean): AclDecision {
  return token.policies.includes('root') ? { kind: 'allow' } : { kind: 'deny' };
}
