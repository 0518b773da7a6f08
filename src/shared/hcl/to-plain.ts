// Converts the syntax tree to plain JS data the way Vault's HCL1→JSON decoding shapes it,
// for consumers that do not need positions.

import type { HclBlock, HclBody, HclValue } from './ast.js';

export type HclPlain = string | number | boolean | null | HclPlain[] | HclPlainObject;
export interface HclPlainObject {
  [key: string]: HclPlain;
}

/** Converts one value; objects become plain objects via hclToPlain. */
export function hclValueToPlain(value: HclValue): HclPlain {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.items.map(hclValueToPlain);
    case 'object':
      return hclToPlain(value.body);
  }
}

function blockToPlain(block: HclBlock): HclPlain {
  let inner: HclPlain = hclToPlain(block.body);
  for (let k = block.labels.length - 1; k >= 0; k--) {
    const nested: HclPlainObject = {};
    setOwn(nested, block.labels[k] ?? '', inner);
    inner = nested;
  }
  return inner;
}

/**
 * Converts a body to a plain object.
 * - `key = value` → `{key: value}`; a repeated scalar attribute keeps the last value.
 * - `type "a" "b" { ... }` → `{type: {a: {b: {...}}}}`.
 * - A name used by more than one block (or object-valued attribute) → an array of the
 *   per-occurrence values in source order, e.g. `{path: [{"a": {...}}, {"b": {...}}]}`.
 * Keys are defined as own properties, so a key such as `__proto__` is inert data.
 */
export function hclToPlain(body: HclBody): HclPlainObject {
  type Entry = { line: number; column: number; structured: boolean; value: HclPlain };
  const groups = new Map<string, Entry[]>();
  const add = (key: string, e: Entry): void => {
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  };
  for (const a of body.attributes) {
    add(a.key, { ...a.pos, structured: a.value.kind === 'object', value: hclValueToPlain(a.value) });
  }
  for (const b of body.blocks) {
    add(b.type, { ...b.pos, structured: true, value: blockToPlain(b) });
  }
  const out: HclPlainObject = {};
  const ordered = [...groups.entries()].sort(([, a], [, b]) => cmp(a[0]!, b[0]!));
  for (const [key, entries] of ordered) {
    entries.sort(cmp);
    if (entries.length === 1 || !entries.some((e) => e.structured)) {
      setOwn(out, key, entries[entries.length - 1]!.value);
    } else {
      setOwn(out, key, entries.map((e) => e.value));
    }
  }
  return out;
}

function cmp(a: { line: number; column: number }, b: { line: number; column: number }): number {
  return a.line - b.line || a.column - b.column;
}

// Plain assignment of "__proto__" would replace the prototype instead of storing data.
function setOwn(obj: HclPlainObject, key: string, value: HclPlain): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
