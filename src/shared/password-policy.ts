// Password policies (Vault's `sys/policies/password` format): a length and charset rules with a
// minimum count each, and a generator that always satisfies them.
//
//   length = 20
//   rule "charset" { charset = "abcdefghijklmnopqrstuvwxyz" min-chars = 1 }

import { randomInt } from 'node:crypto';
import { CofferError } from './errors.js';
import type { HclPlain } from './hcl/index.js';
import { hclToPlain, parseHcl } from './hcl/index.js';

export interface CharsetRule {
  /** Distinct characters, in first-seen order. */
  readonly charset: string;
  readonly minChars: number;
}

export interface PasswordPolicy {
  readonly length: number;
  readonly rules: readonly CharsetRule[];
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** Used when no policy is named: 20 letters and digits, at least one of each kind. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  length: 20,
  rules: [
    { charset: LOWER, minChars: 1 },
    { charset: UPPER, minChars: 1 },
    { charset: DIGITS, minChars: 1 },
  ],
};

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);
const unique = (s: string): string => [...new Set([...s])].join('');

function ruleList(v: HclPlain | undefined): HclPlain[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Parses and validates a policy's HCL (or JSON) text; throws invalid_request saying what is wrong. */
export function parsePasswordPolicy(text: string): PasswordPolicy {
  let plain: Record<string, HclPlain>;
  try {
    plain = hclToPlain(parseHcl(text, 'password policy'));
  } catch (e) {
    throw bad(`unable to parse password policy: ${e instanceof Error ? e.message : String(e)}`);
  }
  const length = plain['length'];
  if (typeof length !== 'number' || !Number.isInteger(length)) throw bad('password policy must set an integer length');
  if (length < 4 || length > 100) throw bad('password policy length must be between 4 and 100');
  for (const key of Object.keys(plain)) {
    if (key !== 'length' && key !== 'rule') throw bad(`unknown password policy field ${JSON.stringify(key)}`);
  }
  const rules: CharsetRule[] = [];
  for (const entry of ruleList(plain['rule'])) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw bad('invalid rule in password policy');
    for (const [kind, bodies] of Object.entries(entry)) {
      if (kind !== 'charset') throw bad(`unrecognized rule type ${JSON.stringify(kind)}`);
      for (const body of ruleList(bodies)) {
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('invalid charset rule');
        const charset = body['charset'];
        const min = body['min-chars'] ?? 0;
        if (typeof charset !== 'string' || charset === '') throw bad('charset rule needs a non-empty charset');
        if (typeof min !== 'number' || !Number.isInteger(min) || min < 0) throw bad("charset rule 'min-chars' must be a non-negative integer");
        rules.push({ charset: unique(charset), minChars: min });
      }
    }
  }
  if (rules.length === 0) throw bad('password policy needs at least one charset rule');
  const required = rules.reduce((n, r) => n + r.minChars, 0);
  if (required > length) throw bad(`password policy requires ${required} characters but its length is ${length}`);
  return { length, rules };
}

/**
 * A password satisfying `policy`: each rule's minimum drawn from its charset, the rest from the
 * union of all charsets, then shuffled; every draw uses the CSPRNG.
 */
export function generatePassword(policy: PasswordPolicy): string {
  const all = unique(policy.rules.map((r) => r.charset).join(''));
  const chars: string[] = [];
  for (const r of policy.rules) for (let i = 0; i < r.minChars; i++) chars.push(r.charset[randomInt(r.charset.length)] ?? '');
  while (chars.length < policy.length) chars.push(all[randomInt(all.length)] ?? '');
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}
