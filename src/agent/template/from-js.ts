// Plain JavaScript data → Go values, for callers that pass root data (`$`): integers become int,
// other numbers float64, arrays []interface{}, objects map[string]interface{}.
import type { GoValue } from './go-values.js';
import { GoChan, GoFunc, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber, SizedInt } from './go-values.js';

function isGoValue(v: unknown): v is GoValue {
  return (
    v instanceof JsonNumber ||
    v instanceof SizedInt ||
    v instanceof GoSlice ||
    v instanceof GoMap ||
    v instanceof GoChan ||
    v instanceof GoStruct ||
    v instanceof GoNilPointer ||
    v instanceof GoFunc
  );
}

/** Converts JSON-like data; values that already are Go values pass through unchanged. */
export function toGoValue(v: unknown): GoValue {
  if (v === undefined || v === null) return null;
  if (isGoValue(v)) return v;
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return v;
    case 'number':
      return Number.isInteger(v) ? BigInt(v) : v;
    default:
      break;
  }
  if (Array.isArray(v)) return new GoSlice(v.map((x) => toGoValue(x)));
  if (v instanceof Map) {
    return new GoMap(new Map([...(v as Map<unknown, unknown>).entries()].map(([k, x]) => [String(k), toGoValue(x)])));
  }
  if (typeof v === 'object') return new GoMap(new Map(Object.entries(v).map(([k, x]) => [k, toGoValue(x)])));
  return null;
}
