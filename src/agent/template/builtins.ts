// text/template's predefined functions (and, or, not, len, index, slice, print, printf, println,
// html, js, urlquery, call, eq, ne, lt, le, gt, ge) as GoFuncs with Go's parameter types.
import { eq, ge, gt, le, lt, ne } from './compare.js';
import { escaperInput, htmlEscape, jsEscape, queryEscape } from './escapers.js';
import { sprint, sprintf, sprintln } from './go-fmt.js';
import type { GoType } from './go-types.js';
import { canBeNil, sameType, T, typeString } from './go-types.js';
import type { GoValue } from './go-values.js';
import {
  byteLength,
  GoChan,
  GoFunc,
  GoMap,
  GoNilPointer,
  GoSlice,
  GoStruct,
  isTrue,
  JsonNumber,
  SizedInt,
  typeOf,
  zeroValue,
} from './go-values.js';
import { FuncError } from './template-error.js';

const RV = T.reflectValue;
const indirect = (v: GoValue): GoValue => (v === null ? undefined : v);
const typeName = (v: GoValue): string => typeString(typeOf(v) ?? { kind: 'interface' });

function indexArg(index: GoValue, cap: number): number {
  let x: bigint;
  if (typeof index === 'bigint') x = index;
  else if (index instanceof SizedInt) x = index.value;
  else if (index === undefined || index === null) throw new FuncError('cannot index slice/array with nil');
  else throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new FuncError(`index out of range: ${x}`);
  return Number(x);
}

function index(args: readonly GoValue[]): GoValue {
  let item = indirect(args[0]);
  if (item === undefined) throw new FuncError('index of untyped nil');
  for (const raw of args.slice(1)) {
    const idx = indirect(raw);
    if (item === null || item === undefined || item instanceof GoNilPointer) throw new FuncError('index of nil pointer');
    if (typeof item === 'string' || item instanceof JsonNumber) {
      const bytes: Buffer = Buffer.from(typeof item === 'string' ? item : item.text, 'utf8');
      const x = indexArg(idx, bytes.length);
      if (x === bytes.length) throw new FuncError('reflect: string index out of range');
      item = new SizedInt('uint8', BigInt(bytes[x] ?? 0));
    } else if (item instanceof GoSlice) {
      const x = indexArg(idx, item.items.length);
      if (x === item.items.length) throw new FuncError('reflect: slice index out of range');
      item = item.items[x];
    } else if (item instanceof GoMap) {
      if (idx === undefined) throw new FuncError('value is nil; should be of type string');
      if (typeof idx !== 'string') throw new FuncError(`value has type ${typeName(idx)}; should be string`);
      item = item.entries.has(idx) ? item.entries.get(idx) : zeroValue(item.elem);
    } else {
      const t = item instanceof GoStruct ? item.name : typeName(item);
      throw new FuncError(`can't index item of type ${t}`);
    }
  }
  return item;
}

function slice(args: readonly GoValue[], ifaceArgs: readonly boolean[]): GoValue {
  const item = indirect(args[0]);
  const indexes = args.slice(1);
  if (item === undefined) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  let len: number;
  let bytes: Buffer | undefined;
  if (typeof item === 'string' || item instanceof JsonNumber) {
    if (indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
    bytes = Buffer.from(typeof item === 'string' ? item : item.text, 'utf8');
    len = bytes.length;
  } else if (item instanceof GoSlice) {
    len = item.items.length;
  } else {
    throw new FuncError(`can't slice item of type ${typeName(item)}`);
  }
  const idx = [0, len, len];
  indexes.forEach((x, i) => {
    // Unlike index, slice does not look inside interface values.
    if (ifaceArgs[i + 1] === true) throw new FuncError('cannot index slice/array with type interface {}');
    idx[i] = indexArg(x, len);
  });
  const [i = 0, j = len, k = len] = idx;
  if (i > j) throw new FuncError(`invalid slice index: ${i} > ${j}`);
  if (indexes.length === 3 && j > k) throw new FuncError(`invalid slice index: ${j} > ${k}`);
  if (bytes !== undefined) {
    const sub = bytes.subarray(i, j).toString('utf8');
    return item instanceof JsonNumber ? new JsonNumber(sub) : sub;
  }
  return new GoSlice((item as GoSlice).items.slice(i, j), (item as GoSlice).elem);
}

function length(args: readonly GoValue[]): GoValue {
  const item = args[0];
  if (item === null || item instanceof GoNilPointer) throw new FuncError('len of nil pointer');
  if (item === undefined) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return BigInt(byteLength(item));
  if (item instanceof JsonNumber) return BigInt(byteLength(item.text));
  if (item instanceof GoSlice || item instanceof GoChan) return BigInt(item.items.length);
  if (item instanceof GoMap) return BigInt(item.entries.size);
  throw new FuncError(`len of type ${item instanceof GoStruct ? item.name : typeName(item)}`);
}

function intLike(t: GoType): boolean {
  return ['int', 'int64', 'int32', 'uint8', 'uint64'].includes(t.kind);
}

/** prepareArg for call: nil only where allowed, integers convertible between int types. */
function prepareArg(value: GoValue, t: GoType): GoValue {
  if (value === undefined || value === null) {
    if (!canBeNil(t)) throw new FuncError(`value is nil; should be of type ${typeString(t)}`);
    return t.kind === 'interface' ? null : zeroValue(t);
  }
  const vt = typeOf(value);
  if (t.kind === 'interface' || t.kind === 'reflectValue' || (vt !== undefined && sameType(vt, t))) return value;
  if (vt !== undefined && intLike(vt) && intLike(t)) {
    const n = typeof value === 'bigint' ? value : (value as SizedInt).value;
    return t.kind === 'int' ? n : new SizedInt(t.kind as SizedInt['type'], n);
  }
  throw new FuncError(`value has type ${typeName(value)}; should be ${typeString(t)}`);
}

async function call(args: readonly GoValue[]): Promise<GoValue> {
  const [nameV, fnV, ...rest] = args;
  const name = typeof nameV === 'string' ? nameV : '';
  const fn = indirect(fnV);
  if (fn === undefined) throw new FuncError('call of nil');
  if (!(fn instanceof GoFunc)) throw new FuncError(`non-function ${name} of type ${typeName(fn)}`);
  const numIn = fn.numIn;
  if (fn.variadic !== undefined) {
    if (rest.length < numIn - 1) throw new FuncError(`wrong number of args for ${name}: got ${rest.length} want at least ${numIn - 1}`);
  } else if (rest.length !== numIn) {
    throw new FuncError(`wrong number of args for ${name}: got ${rest.length} want ${numIn}`);
  }
  const argv = rest.map((a, i) => {
    const t = fn.variadic === undefined || i < fn.params.length ? (fn.params[i] ?? T.iface) : fn.variadic;
    try {
      return prepareArg(indirect(a), t);
    } catch (e) {
      if (e instanceof FuncError) throw new FuncError(`arg ${i}: ${e.message}`);
      throw e;
    }
  });
  return fn.impl(argv, argv.map(() => false));
}

const fn = (params: GoType[], variadic: GoType | undefined, result: GoType, impl: GoFunc['impl']): GoFunc =>
  new GoFunc(params, variadic, result, impl);

/** The builtin table; and/or/call get special evaluation from the executor. */
export function builtinFunctions(): Map<string, GoFunc> {
  return new Map<string, GoFunc>([
    ['and', fn([RV], RV, RV, (a) => a[a.length - 1])],
    ['or', fn([RV], RV, RV, (a) => a[a.length - 1])],
    ['not', fn([RV], undefined, T.bool, (a) => !isTrue(indirect(a[0])))],
    ['len', fn([RV], undefined, T.int, length)],
    ['index', fn([RV], RV, RV, index)],
    ['slice', fn([RV], RV, RV, slice)],
    ['print', fn([], T.iface, T.string, (a) => sprint(a))],
    ['printf', fn([T.string], T.iface, T.string, (a) => sprintf(typeof a[0] === 'string' ? a[0] : '', a.slice(1)))],
    ['println', fn([], T.iface, T.string, (a) => sprintln(a))],
    ['html', fn([], T.iface, T.string, (a) => htmlEscape(escaperInput(a)))],
    ['js', fn([], T.iface, T.string, (a) => jsEscape(escaperInput(a)))],
    ['urlquery', fn([], T.iface, T.string, (a) => queryEscape(escaperInput(a)))],
    ['call', fn([RV], RV, RV, call)],
    ['eq', fn([RV], RV, T.bool, eq)],
    ['ne', fn([RV, RV], undefined, T.bool, ne)],
    ['lt', fn([RV, RV], undefined, T.bool, lt)],
    ['le', fn([RV, RV], undefined, T.bool, le)],
    ['gt', fn([RV, RV], undefined, T.bool, gt)],
    ['ge', fn([RV, RV], undefined, T.bool, ge)],
  ]);
}

/** Names that need the executor's special evaluation. */
export const SPECIAL_BUILTINS: ReadonlySet<string> = new Set(['and', 'or', 'call']);
