// text/template's comparison builtins: eq (true if the first operand equals any other), ne, lt,
// le, gt, ge over basic kinds, with Go's errors for incompatible or non-comparable operands.
import { sprintTemplateValue } from './go-fmt.js';
import { typeString } from './go-types.js';
import type { GoValue } from './go-values.js';
import type { JsonNumber, SizedInt } from './go-values.js';
import { basicKind, GoChan, GoFunc, GoMap, GoNilPointer, GoSlice, intValue, stringValue, typeOf } from './go-values.js';
import { FuncError } from './template-error.js';

const BAD_COMPARISON = 'incompatible types for comparison';
const BAD_COMPARISON_TYPE = 'invalid type for comparison';

/** indirectInterface: a nil interface becomes the invalid value. */
const indirect = (v: GoValue): GoValue => (v === null ? undefined : v);

function num(v: GoValue): bigint {
  return intValue(v as bigint | SizedInt);
}

function str(v: GoValue): string {
  return stringValue(v as string | JsonNumber);
}

function nonComparable(v: GoValue): boolean {
  return v instanceof GoSlice || v instanceof GoMap || v instanceof GoFunc;
}

const typeName = (v: GoValue): string => typeString(typeOf(v) ?? { kind: 'interface' });

/** reflect.Kind of a non-basic value. */
function refKind(v: GoValue): string {
  if (v instanceof GoSlice) return 'slice';
  if (v instanceof GoMap) return 'map';
  if (v instanceof GoChan) return 'chan';
  if (v instanceof GoFunc) return 'func';
  return 'ptr';
}

function equal(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return num(a) >= 0n && num(a) === num(b);
    if (k1 === 'uint' && k2 === 'int') return num(b) >= 0n && num(a) === num(b);
    if (a !== undefined && b !== undefined) throw new FuncError(BAD_COMPARISON);
    return false;
  }
  switch (k1) {
    case 'bool':
    case 'float':
      return a === b;
    case 'int':
    case 'uint':
      return num(a) === num(b);
    case 'string':
      return str(a) === str(b);
    case 'invalid':
      return true;
    default: {
      if (refKind(a) !== refKind(b)) {
        throw new FuncError(`non-comparable types ${sprintTemplateValue(a)}: ${typeName(a)}, ${typeName(b)}: ${sprintTemplateValue(b)}`);
      }
      if (a instanceof GoNilPointer || b instanceof GoNilPointer) return a instanceof GoNilPointer && b instanceof GoNilPointer;
      if (nonComparable(b)) throw new FuncError(`non-comparable type ${sprintTemplateValue(b)}: ${typeName(b)}`);
      return a === b;
    }
  }
}

export function eq(args: readonly GoValue[]): boolean {
  const [first, ...rest] = args;
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const a = indirect(first);
  for (const b of rest) if (equal(a, indirect(b))) return true;
  return false;
}

export function ne(args: readonly GoValue[]): boolean {
  return !eq(args);
}

export function lt(args: readonly GoValue[]): boolean {
  const a = indirect(args[0]);
  const b = indirect(args[1]);
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new FuncError(BAD_COMPARISON_TYPE);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return num(a) < 0n || num(a) < num(b);
    if (k1 === 'uint' && k2 === 'int') return num(b) >= 0n && num(a) < num(b);
    throw new FuncError(BAD_COMPARISON);
  }
  switch (k1) {
    case 'bool':
      throw new FuncError(BAD_COMPARISON_TYPE);
    case 'float':
      return (a as number) < (b as number);
    case 'int':
    case 'uint':
      return num(a) < num(b);
    default: {
      // Go compares strings bytewise.
      return Buffer.compare(Buffer.from(str(a)), Buffer.from(str(b))) < 0;
    }
  }
}

export function le(args: readonly GoValue[]): boolean {
  return lt(args) || eq(args);
}

export function gt(args: readonly GoValue[]): boolean {
  return !le(args);
}

export function ge(args: readonly GoValue[]): boolean {
  return !lt(args);
}

