// Reading claims out of a verified JWT payload: plain names or JSON pointers, bound_claims
// matching (exact or `*` globs), claim_mappings into metadata, and the groups claim.
// Error messages name claims, never their values (they may be personal data).

import { globMatch } from '../../shared/index.js';

/** A claim by top-level name, or by JSON pointer (RFC 6901) when `name` starts with '/'. */
export function getClaim(claims: Record<string, unknown>, name: string, pointer = name.startsWith('/')): unknown {
  if (!pointer) return Object.hasOwn(claims, name) ? claims[name] : undefined;
  if (name === '') return claims;
  if (!name.startsWith('/')) return undefined;
  let cur: unknown = claims;
  for (const raw of name.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(seg)) return undefined;
      cur = cur[Number(seg)];
    } else if (cur !== null && typeof cur === 'object') {
      const o = cur as Record<string, unknown>;
      cur = Object.hasOwn(o, seg) ? o[seg] : undefined;
    } else {
      return undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A scalar as a one-element list, a list as itself; undefined for anything else. */
export function normaliseList(v: unknown): unknown[] | undefined {
  if (isScalar(v)) return [v];
  if (Array.isArray(v)) return v as unknown[];
  return undefined;
}

/**
 * Checks a role's bound_claims against the token: every bound claim must be present and some
 * expected value must equal (or, for 'glob', match) some actual value. Returns the failure
 * message, or undefined when all match.
 */
export function checkBoundClaims(claims: Record<string, unknown>, bound: Record<string, unknown>, type: 'string' | 'glob'): string | undefined {
  for (const [name, expected] of Object.entries(bound)) {
    const actual = getClaim(claims, name);
    if (actual === undefined || actual === null) return `claim ${JSON.stringify(name)} is missing`;
    const actVals = normaliseList(actual);
    if (actVals === undefined) return `claim ${JSON.stringify(name)} is not a string or list`;
    const expVals = normaliseList(expected) ?? [];
    const found = expVals.some((e) =>
      actVals.some((a) => {
        if (!isScalar(a) || !isScalar(e)) return false;
        return type === 'glob' && typeof e === 'string' ? typeof a === 'string' && globMatch(e, a) : String(a) === String(e);
      }),
    );
    if (!found) return `claim ${JSON.stringify(name)} does not match any associated bound claim values`;
  }
  return undefined;
}

/**
 * Validates bound_claims on role write: values are scalars or lists of scalars; with 'glob'
 * every value must be a string. Returns the failure message or undefined.
 */
export function validateBoundClaims(bound: Record<string, unknown>, type: 'string' | 'glob'): string | undefined {
  for (const [name, v] of Object.entries(bound)) {
    const vals = normaliseList(v);
    if (vals === undefined || !vals.every(isScalar)) return `bound claim ${JSON.stringify(name)} must be a string, number, boolean or a list of them`;
    if (type === 'glob' && !vals.every((x) => typeof x === 'string')) return `bound claim ${JSON.stringify(name)} must be a string or list of strings when 'bound_claims_type' is 'glob'`;
  }
  return undefined;
}

/**
 * Copies mapped claims into metadata (claim → metadata key). Missing claims are skipped;
 * strings, numbers and booleans are stringified; any other type throws an Error naming the claim.
 */
export function mapClaims(claims: Record<string, unknown>, mappings: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [claim, key] of Object.entries(mappings)) {
    const v = getClaim(claims, claim);
    if (v === undefined || v === null) continue;
    if (!isScalar(v)) throw new Error(`error converting claim ${JSON.stringify(claim)} to string`);
    out[key] = String(v);
  }
  return out;
}

/**
 * The group names from the groups claim (a list of strings or a single string; empty strings
 * skipped). Throws an Error when the claim is missing or not strings.
 */
export function groupsFromClaim(claims: Record<string, unknown>, claim: string): string[] {
  const raw = getClaim(claims, claim);
  if (raw === undefined || raw === null) throw new Error(`${JSON.stringify(claim)} claim not found in token`);
  const list = normaliseList(raw);
  if (list === undefined) throw new Error(`${JSON.stringify(claim)} claim could not be converted to string list`);
  const out: string[] = [];
  for (const g of list) {
    if (typeof g !== 'string') throw new Error(`value in ${JSON.stringify(claim)} claim could not be converted to string`);
    if (g !== '' && !out.includes(g)) out.push(g);
  }
  return out;
}
