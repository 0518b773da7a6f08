// Typed request fields: a path declares its fields once; the framework parses raw request data
// into typed values (weakly, as Vault's decoder does) before any handler runs.

import { CofferError, parseDurationSeconds, parseGoBool } from '../shared/index.js';

export interface FieldTypes {
  string: string;
  int: number;
  bool: boolean;
  /** seconds */
  duration: number;
  'comma-list': string[];
  'comma-int-list': number[];
  map: Record<string, unknown>;
  'string-map': Record<string, string>;
  any: unknown;
}
export type FieldType = keyof FieldTypes;

export interface FieldSpec<T extends FieldType = FieldType> {
  type: T;
  description?: string;
  default?: FieldTypes[T];
  required?: boolean;
}

export type FieldSpecs = Record<string, FieldSpec>;

/** The typed values a handler receives: a field is undefined only when absent and without default. */
export type FieldValues<F extends FieldSpecs> = {
  [K in keyof F]: F[K] extends FieldSpec<infer T> ? FieldTypes[T] | (F[K] extends { default: unknown } ? never : undefined) : never;
};

function convertError(name: string, value: unknown, why: string): CofferError {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  if (shown.length > 64) shown = shown.slice(0, 61) + '...';
  return new CofferError('invalid_request', `error converting input ${shown} for field "${name}": ${why}`);
}

function toInt(name: string, v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw convertError(name, v, 'expected an integer');
}

function toStr(name: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw convertError(name, v, 'expected a string');
}

/** Parses one raw value into the declared type; throws invalid_request naming the field. */
export function parseField<T extends FieldType>(name: string, type: T, v: unknown): FieldTypes[T] {
  const out = parseFieldUntyped(name, type, v);
  return out as FieldTypes[T];
}

function parseFieldUntyped(name: string, type: FieldType, v: unknown): unknown {
  switch (type) {
    case 'string':
      return toStr(name, v);
    case 'int':
      return toInt(name, v);
    case 'bool': {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
      if (typeof v === 'string') {
        const b = parseGoBool(v.trim());
        if (b !== undefined) return b;
      }
      throw convertError(name, v, 'expected a boolean');
    }
    case 'duration':
      try {
        return parseDurationSeconds(v, name);
      } catch {
        throw convertError(name, v, 'expected a duration such as "30m", "1h" or a number of seconds');
      }
    case 'comma-list': {
      if (Array.isArray(v)) return v.map((x) => toStr(name, x));
      if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (typeof v === 'number') return [String(v)];
      throw convertError(name, v, 'expected a list or a comma-separated string');
    }
    case 'comma-int-list': {
      if (Array.isArray(v)) return v.map((x) => toInt(name, x));
      if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => toInt(name, s));
      if (typeof v === 'number') return [toInt(name, v)];
      throw convertError(name, v, 'expected a list of integers');
    }
    case 'map': {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
      throw convertError(name, v, 'expected an object');
    }
    case 'string-map': {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const out: Record<string, string> = {};
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toStr(name, x);
        return out;
      }
      if (Array.isArray(v)) {
        const out: Record<string, string> = {};
        for (const item of v) {
          const s = toStr(name, item);
          const eq = s.indexOf('=');
          if (eq <= 0) throw convertError(name, v, 'expected key=value pairs');
          out[s.slice(0, eq)] = s.slice(eq + 1);
        }
        return out;
      }
      throw convertError(name, v, 'expected a map of strings');
    }
    case 'any':
      return v;
  }
}

/**
 * Parses request data against the declared fields. Returns the typed values, the names that were
 * actually sent, and the names that were sent but not declared.
 */
export function parseFields<F extends FieldSpecs>(
  specs: F,
  data: Record<string, unknown> | undefined,
): { values: FieldValues<F>; present: Set<string>; unknown: string[] } {
  const values: Record<string, unknown> = {};
  const present = new Set<string>();
  const lower = new Map<string, string>();
  for (const k of Object.keys(specs)) lower.set(k.toLowerCase(), k);
  const unknown: string[] = [];
  const raw = data ?? {};
  for (const [k, v] of Object.entries(raw)) {
    const name = k in specs ? k : lower.get(k.toLowerCase());
    if (name === undefined) {
      unknown.push(k);
      continue;
    }
    const spec = specs[name];
    if (spec === undefined || v === null || v === undefined) continue;
    values[name] = parseFieldUntyped(name, spec.type, v);
    present.add(name);
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (present.has(name)) continue;
    if (spec.default !== undefined) values[name] = structuredClone(spec.default);
  }
  return { values: values as FieldValues<F>, present, unknown: unknown.sort() };
}
