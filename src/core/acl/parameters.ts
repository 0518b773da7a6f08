// allowed_parameters / denied_parameters / required_parameters checks for one matched rule.

import type { ParameterValue } from './types.js';

export interface ParameterRules {
  readonly allowed: ReadonlyMap<string, readonly ParameterValue[]>;
  readonly denied: ReadonlyMap<string, readonly ParameterValue[]>;
  readonly required: readonly string[];
}

export type ParameterVerdict = 'ok' | 'missing-required-parameter' | 'denied-parameter';

/**
 * Vault's order: every required parameter must be present; a request without parameters then
 * passes; `denied_parameters` with a `*` key refuses any parameter, and a denied value refuses the
 * request; then, when `allowed_parameters` is set, each parameter must be listed (or `*` present)
 * with an allowed value. Names compare case-insensitively (policy names are lower-cased).
 */
export function checkParameters(rules: ParameterRules, data: Readonly<Record<string, unknown>> | undefined): ParameterVerdict {
  const keys = data === undefined ? [] : Object.keys(data);
  if (rules.required.length > 0) {
    const present = new Set(keys.map((k) => k.toLowerCase()));
    for (const r of rules.required) if (!present.has(r)) return 'missing-required-parameter';
  }
  if (keys.length === 0 || data === undefined) return 'ok';
  if (rules.denied.size > 0) {
    if (rules.denied.has('*')) return 'denied-parameter';
    for (const k of keys) {
      const list = rules.denied.get(k.toLowerCase());
      if (list !== undefined && deniedValue(data[k], list)) return 'denied-parameter';
    }
  }
  if (rules.allowed.size === 0) return 'ok';
  const allowAll = rules.allowed.has('*');
  if (allowAll && rules.allowed.size === 1) return 'ok';
  for (const k of keys) {
    const list = rules.allowed.get(k.toLowerCase());
    if (list === undefined) {
      if (!allowAll) return 'denied-parameter';
    } else if (!allowedValue(data[k], list)) {
      return 'denied-parameter';
    }
  }
  return 'ok';
}

// Empty list = every value is denied. A list value (or a comma-separated string) is denied when
// the whole value or any one element is denied, so smuggling a denied value inside a list fails.
function deniedValue(v: unknown, list: readonly ParameterValue[]): boolean {
  if (list.length === 0) return true;
  if (inList(v, list)) return true;
  if (Array.isArray(v)) return v.some((e) => inList(e, list));
  if (typeof v === 'string' && v.includes(',')) return v.split(',').some((e) => inList(e.trim(), list));
  return false;
}

// Empty list = any value. A list value passes when it matches as a whole or element by element.
function allowedValue(v: unknown, list: readonly ParameterValue[]): boolean {
  if (list.length === 0) return true;
  if (inList(v, list)) return true;
  return Array.isArray(v) && v.length > 0 && v.every((e) => inList(e, list));
}

function inList(v: unknown, list: readonly ParameterValue[]): boolean {
  for (const item of list) if (valueMatches(item, v)) return true;
  return false;
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * A policy item matches a request value when both are scalars with the same text (so `false`
 * and `"false"`, `30` and `"30"` match), where a string item may carry a leading and/or trailing
 * `*` glob; compound values must be deeply equal.
 */
export function valueMatches(item: ParameterValue, v: unknown): boolean {
  const it = scalarText(item);
  const vt = scalarText(v);
  if (it !== undefined && vt !== undefined) return typeof item === 'string' ? globMatch(item, vt) : it === vt;
  return deepEqual(item, v);
}

/** `*x` suffix, `x*` prefix, `*x*` substring; a lone `*` is literal, like Vault's glob values. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern.length < 2) return pattern === value;
  const pre = pattern.startsWith('*');
  const suf = pattern.endsWith('*');
  if (pre && suf) return value.includes(pattern.slice(1, -1));
  if (pre) return value.endsWith(pattern.slice(1));
  if (suf) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}
