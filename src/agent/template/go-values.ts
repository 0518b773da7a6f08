// The runtime values templates compute with, modelled on Go's reflect kinds so that printing,
// comparison and truthiness follow text/template: bigint is Go's int, number is float64,
// undefined is the invalid reflect.Value ("<no value>") and null is a nil interface.
import type { GoType } from './go-types.js';
import { T, typeString } from './go-types.js';

/** json.Number: a string kind that prints as the JSON text it was read from. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** Integers of a Go type other than int (int64 from parseInt, uint64 from parseUint, bytes from index). */
export class SizedInt {
  constructor(
    readonly type: 'int64' | 'int32' | 'uint8' | 'uint64',
    readonly value: bigint,
  ) {}
}

export class GoSlice {
  constructor(
    readonly items: readonly GoValue[],
    readonly elem: GoType = T.iface,
  ) {}
}

/** A Go map with string keys (the only maps consul-template hands to templates). */
export class GoMap {
  constructor(
    readonly entries: ReadonlyMap<string, GoValue>,
    readonly elem: GoType = T.iface,
    /** map[interface {}]… as yaml.v2 decodes mappings (keys are still held as strings). */
    readonly ifaceKeys = false,
  ) {}
}

/** A receive-only channel, already drained into a list (what `loop` returns). */
export class GoChan {
  constructor(
    readonly items: readonly GoValue[],
    readonly elem: GoType,
  ) {}
}

/** A pointer to a struct such as *dependency.Secret: exported fields plus niladic-or-not methods. */
export class GoStruct {
  constructor(
    readonly name: string,
    readonly fields: ReadonlyArray<readonly [string, GoValue]>,
    readonly methods: ReadonlyMap<string, GoFunc> = new Map(),
    /** fmt.Stringer, when the Go type has a String method. */
    readonly stringer?: () => string,
    /** encoding.TextMarshaler (time.Time), used by the JSON encoder. */
    readonly marshalText?: () => string,
  ) {}

  field(name: string): { found: true; value: GoValue } | { found: false } {
    for (const [k, v] of this.fields) if (k === name) return { found: true, value: v };
    return { found: false };
  }
}

/** A typed nil pointer (e.g. Secret.Auth when the response had no auth block). */
export class GoNilPointer {
  constructor(
    readonly name: string,
    readonly fieldNames: readonly string[],
  ) {}
}

/** Result of a function: a value, or a promise of one (secret reads are asynchronous). */
export type GoResult = GoValue | Promise<GoValue>;

/** A Go function value: its parameter types drive argument checking exactly as text/template does. */
export class GoFunc {
  constructor(
    readonly params: readonly GoType[],
    /** Element type of a trailing ...T parameter, when variadic. */
    readonly variadic: GoType | undefined,
    readonly result: GoType,
    /** ifaceArgs[i] tells whether argument i has static type interface{} (for reflect.Value params). */
    readonly impl: (args: readonly GoValue[], ifaceArgs: readonly boolean[]) => GoResult,
  ) {}

  get numIn(): number {
    return this.params.length + (this.variadic === undefined ? 0 : 1);
  }
}

export type GoValue =
  | undefined
  | null
  | string
  | boolean
  | bigint
  | number
  | JsonNumber
  | SizedInt
  | GoSlice
  | GoMap
  | GoChan
  | GoStruct
  | GoNilPointer
  | GoFunc;

/** The value's dynamic type; undefined for the invalid value and for nil. */
export function typeOf(v: GoValue): GoType | undefined {
  if (v === undefined || v === null) return undefined;
  switch (typeof v) {
    case 'string':
      return T.string;
    case 'boolean':
      return T.bool;
    case 'bigint':
      return T.int;
    case 'number':
      return T.float64;
    default:
      break;
  }
  if (v instanceof JsonNumber) return { kind: 'jsonNumber' };
  if (v instanceof SizedInt) return { kind: v.type };
  if (v instanceof GoSlice) return { kind: 'slice', elem: v.elem };
  if (v instanceof GoMap) return v.ifaceKeys ? { kind: 'map', elem: v.elem, ifaceKeys: true } : { kind: 'map', elem: v.elem };
  if (v instanceof GoChan) return { kind: 'chan', elem: v.elem };
  if (v instanceof GoStruct || v instanceof GoNilPointer) return { kind: 'pointer', name: v.name };
  return { kind: 'func', signature: funcSignature(v) };
}

function funcSignature(f: GoFunc): string {
  const params = f.params.map((p) => typeString(p));
  if (f.variadic !== undefined) params.push(`...${typeString(f.variadic)}`);
  return `func(${params.join(', ')}) ${typeString(f.result)}`;
}

/** reflect.Kind families used by comparison and printing. */
export type BasicKind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string' | 'other';

export function basicKind(v: GoValue): BasicKind {
  if (v === undefined || v === null) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string' || v instanceof JsonNumber) return 'string';
  if (v instanceof SizedInt) return v.type === 'uint8' || v.type === 'uint64' ? 'uint' : 'int';
  return 'other';
}

/** Integer value of an int or uint kind. */
export function intValue(v: bigint | SizedInt): bigint {
  return typeof v === 'bigint' ? v : v.value;
}

/** The string of a string-kind value (string or json.Number). */
export function stringValue(v: string | JsonNumber): string {
  return typeof v === 'string' ? v : v.text;
}

/** Go's byte length of a string (len, slice and index work on UTF-8 bytes). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * text/template's isTrue: false, 0, nil and empty strings, slices and maps are false; structs and
 * non-nil pointers are true. (A json.Number is a string, so "0" is true.)
 */
export function isTrue(v: GoValue): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0;
    default:
      break;
  }
  if (v instanceof JsonNumber) return v.text.length > 0;
  if (v instanceof SizedInt) return v.value !== 0n;
  if (v instanceof GoSlice || v instanceof GoChan) return v.items.length > 0;
  if (v instanceof GoMap) return v.entries.size > 0;
  if (v instanceof GoNilPointer) return false;
  return true;
}

/** Orders strings as Go does: by UTF-8 bytes, i.e. by code point (not UTF-16 units). */
export function compareGoStrings(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done === true) return cb.done === true ? 0 : -1;
    if (cb.done === true) return 1;
    const pa = ca.value.codePointAt(0) ?? 0;
    const pb = cb.value.codePointAt(0) ?? 0;
    if (pa !== pb) return pa < pb ? -1 : 1;
  }
}

/** Map keys in Go's sorted order (fmt and range both sort string keys bytewise). */
export function sortedKeys(m: GoMap): string[] {
  return [...m.entries.keys()].sort(compareGoStrings);
}

/** Zero value of a type, as a missing map key yields under missingkey=zero. */
export function zeroValue(t: GoType): GoValue {
  switch (t.kind) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0n;
    case 'int64':
    case 'int32':
    case 'uint8':
    case 'uint64':
      return new SizedInt(t.kind, 0n);
    case 'float64':
      return 0;
    case 'jsonNumber':
      return new JsonNumber('');
    case 'reflectValue':
      return undefined;
    default:
      return null;
  }
}
