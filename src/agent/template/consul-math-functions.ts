// consul-template's arithmetic (add, subtract, multiply, divide, modulo, minimum, maximum; the
// piped value is the left operand) and loop, with Go's int64/uint64/float64 result types.
import { sprintf } from './go-fmt.js';
import { T } from './go-types.js';
import type { GoValue } from './go-values.js';
import { GoChan, GoFunc, JsonNumber, SizedInt } from './go-values.js';
import { FuncError } from './template-error.js';

type Num = { kind: 'int'; v: bigint } | { kind: 'uint'; v: bigint } | { kind: 'float'; v: number };

function toNum(x: GoValue): Num | undefined {
  if (typeof x === 'bigint') return { kind: 'int', v: x };
  if (typeof x === 'number') return { kind: 'float', v: x };
  if (x instanceof SizedInt) return x.type === 'uint8' || x.type === 'uint64' ? { kind: 'uint', v: x.value } : { kind: 'int', v: x.value };
  return undefined;
}

const i64 = (v: bigint): SizedInt => new SizedInt('int64', BigInt.asIntN(64, v));
const u64 = (v: bigint): SizedInt => new SizedInt('uint64', BigInt.asUintN(64, v));
const f = (n: Num): number => (n.kind === 'float' ? n.v : Number(n.v));

function unknownType(name: string, v: GoValue): FuncError {
  return new FuncError(`${name}: unknown type for ${sprintf('%q (%T)', [v ?? null, v ?? null])}`);
}

type IntOp = (a: bigint, b: bigint) => bigint;
type FloatOp = (a: number, b: number) => number;

function arith(name: string, intOp: IntOp, floatOp: FloatOp | undefined): (args: readonly GoValue[]) => GoValue {
  return (args) => {
    const [bRaw, aRaw] = args;
    const a = toNum(aRaw);
    const b = toNum(bRaw);
    if (a === undefined || (floatOp === undefined && a.kind === 'float')) throw unknownType(name, aRaw);
    if (b === undefined || (floatOp === undefined && b.kind === 'float')) throw unknownType(name, bRaw);
    if (a.kind === 'float' || b.kind === 'float') return (floatOp as FloatOp)(f(a), f(b));
    const intResult = a.kind === 'int' || b.kind === 'int';
    const r = intOp(BigInt.asIntN(64, a.v), BigInt.asIntN(64, b.v));
    return intResult ? i64(r) : u64(intOp(a.v, b.v));
  };
}

function divInt(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new FuncError('runtime error: integer divide by zero');
  return a / b;
}

function modInt(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new FuncError('runtime error: integer divide by zero');
  return a % b;
}

/** minimum/maximum return whichever operand wins, converted as consul-template's switch does. */
function pick(name: string, wantLess: boolean): (args: readonly GoValue[]) => GoValue {
  return (args) => {
    const [bRaw, aRaw] = args;
    const a = toNum(aRaw);
    const b = toNum(bRaw);
    if (a === undefined) throw unknownType(name, aRaw);
    if (b === undefined) throw unknownType(name, bRaw);
    const av = a.kind === 'float' || b.kind === 'float' ? f(a) : a.v;
    const bv = a.kind === 'float' || b.kind === 'float' ? f(b) : b.v;
    const aWins = wantLess ? av < bv : av > bv;
    const w = aWins ? a : b;
    if (w.kind === 'float') return w.v;
    return w.kind === 'int' ? i64(w.v) : u64(w.v);
  };
}

/** Most iterations loop will produce; Go has no limit, but a render must not exhaust memory. */
export const LOOP_LIMIT = 10_000_000;

function to64(x: GoValue): bigint {
  if (typeof x === 'bigint') return x;
  if (x instanceof SizedInt) return BigInt.asIntN(64, x.value);
  if (typeof x === 'string' || x instanceof JsonNumber) {
    const s = typeof x === 'string' ? x : x.text;
    if (s === '') return 0n;
    if (!/^[+-]?\d+$/.test(s)) throw new FuncError(`parseInt: strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
    return BigInt(s);
  }
  throw new FuncError(`loop: bad argument type: ${sprintf('%T', [x ?? null])}`);
}

function loop(args: readonly GoValue[]): GoValue {
  if (args.length !== 1 && args.length !== 2) {
    throw new FuncError(`loop: wrong number of arguments, expected 1 or 2, but got ${args.length}`);
  }
  const start = args.length === 2 ? to64(args[0]) : 0n;
  const stop = to64(args[args.length - 1]);
  if (stop - start > BigInt(LOOP_LIMIT)) throw new FuncError(`loop: more than ${LOOP_LIMIT} iterations`);
  const items: GoValue[] = [];
  for (let i = start; i < stop; i++) items.push(new SizedInt('int64', i));
  return new GoChan(items, T.int64);
}

const I = T.iface;

export function mathFunctions(): Map<string, GoFunc> {
  return new Map<string, GoFunc>([
    ['add', new GoFunc([I, I], undefined, I, arith('add', (a, b) => a + b, (a, b) => a + b))],
    ['subtract', new GoFunc([I, I], undefined, I, arith('subtract', (a, b) => a - b, (a, b) => a - b))],
    ['multiply', new GoFunc([I, I], undefined, I, arith('multiply', (a, b) => a * b, (a, b) => a * b))],
    ['divide', new GoFunc([I, I], undefined, I, arith('divide', divInt, (a, b) => a / b))],
    ['modulo', new GoFunc([I, I], undefined, I, arith('modulo', modInt, undefined))],
    ['minimum', new GoFunc([I, I], undefined, I, pick('minimum', true))],
    ['maximum', new GoFunc([I, I], undefined, I, pick('maximum', false))],
    ['loop', new GoFunc([], I, { kind: 'chan', elem: T.int64 }, loop)],
  ]);
}
