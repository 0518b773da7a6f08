// CIDR binding of tokens (token_bound_cidrs): a bound token authenticates only from addresses
// inside one of its blocks.

import { BlockList, isIP } from 'node:net';
import { CofferError } from '../../shared/index.js';

function splitCidr(cidr: string): { addr: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [addr = '', bits] = cidr.trim().split('/');
  const v = isIP(addr);
  if (v === 0) return undefined;
  const family = v === 4 ? 'ipv4' : 'ipv6';
  const max = v === 4 ? 32 : 128;
  if (bits === undefined) return { addr, prefix: max, family };
  if (!/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  return prefix <= max ? { addr, prefix, family } : undefined;
}

/** Validates CIDR blocks (or single addresses); throws invalid_request naming the bad one. */
export function parseCidrList(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of list) {
    const c = raw.trim();
    if (c === '') continue;
    if (!splitCidr(c)) throw new CofferError('invalid_request', `invalid CIDR block ${JSON.stringify(c)}`);
    out.push(c);
  }
  return out;
}

/** Whether `remoteAddress` lies inside one of `cidrs`; an empty list binds nothing (true). */
export function addressAllowed(cidrs: readonly string[], remoteAddress: string): boolean {
  if (cidrs.length === 0) return true;
  let addr = remoteAddress.trim();
  if (addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4) addr = addr.slice(7);
  const fam = isIP(addr);
  if (fam === 0) return false;
  const list = new BlockList();
  for (const c of cidrs) {
    const s = splitCidr(c);
    if (s) list.addSubnet(s.addr, s.prefix, s.family);
  }
  return list.check(addr, fam === 4 ? 'ipv4' : 'ipv6');
}
