// Capabilities as bit flags, so merging rules and checking a request are integer operations.

import type { AclOperation, Capability } from './types.js';

export const CAP = {
  create: 1 << 0,
  read: 1 << 1,
  update: 1 << 2,
  patch: 1 << 3,
  delete: 1 << 4,
  list: 1 << 5,
  sudo: 1 << 6,
  deny: 1 << 7,
  subscribe: 1 << 8,
  recover: 1 << 9,
} as const satisfies Record<Capability, number>;

/** Names in alphabetical order, which is the order Vault reports them in. */
const SORTED_NAMES: readonly Capability[] = (Object.keys(CAP) as Capability[]).slice().sort();

export function isCapability(s: string): s is Capability {
  return Object.prototype.hasOwnProperty.call(CAP, s);
}

export function capabilitiesToBits(caps: readonly Capability[]): number {
  let bits = 0;
  for (const c of caps) bits |= CAP[c];
  return bits;
}

/** Sorted names for a bitmap; a bitmap holding `deny` is reported as `['deny']` alone. */
export function bitsToCapabilities(bits: number): Capability[] {
  if (bits & CAP.deny) return ['deny'];
  return SORTED_NAMES.filter((c) => (bits & CAP[c]) !== 0);
}

/** The capability each operation needs. */
export const OPERATION_BIT: Readonly<Record<AclOperation, number>> = {
  read: CAP.read,
  list: CAP.list,
  create: CAP.create,
  update: CAP.update,
  patch: CAP.patch,
  delete: CAP.delete,
};

/**
 * The pre-capabilities `policy = "..."` shorthand. Vault maps read to read+list, write to the
 * CRUD-and-list set, sudo to that plus sudo. `list` is our extension for symmetry.
 */
export const LEGACY_POLICY: Readonly<Record<string, readonly Capability[]>> = {
  deny: ['deny'],
  read: ['read', 'list'],
  list: ['list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};
