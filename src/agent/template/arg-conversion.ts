// How text/template turns an argument into a value of the parameter's type: literals are typed by
// the parameter (evalArg), computed values must be assignable (validateType), and untyped numeric
// literals default to int or float64 (idealConstant).
import type { ArgNode, NumberNode } from './ast.js';
import { nodeString } from './ast.js';
import type { GoType } from './go-types.js';
import { canBeNil, sameType, typeString } from './go-types.js';
import type { GoValue } from './go-values.js';
import { SizedInt, typeOf, zeroValue } from './go-values.js';
import { ExecFailure } from './template-error.js';

/** A value plus whether its static type is interface{} (as map and []interface{} elements are). */
export interface Slot {
  readonly v: GoValue;
  readonly iface: boolean;
}

export const slot = (v: GoValue, iface = false): Slot => ({ v, iface });

/** The static type name Go reports in field errors ("can't evaluate field x in type interface {}"). */
export function staticTypeName(s: Slot): string {
  if (s.iface || s.v === null) return 'interface {}';
  const t = typeOf(s.v);
  return t === undefined ? 'interface {}' : typeString(t);
}

/** validateType: typ undefined means "any" (chain receivers). Throws ExecFailure with Go's text. */
export function validateType(s: Slot, typ: GoType | undefined): GoValue {
  const v = s.v;
  if (v === undefined) {
    if (typ === undefined) return undefined;
    if (canBeNil(typ)) return typ.kind === 'reflectValue' ? undefined : zeroValue(typ);
    throw new ExecFailure(`invalid value; expected ${typeString(typ)}`);
  }
  if (typ === undefined || typ.kind === 'reflectValue' || typ.kind === 'interface') return v;
  if (v === null) throw new ExecFailure(`wrong type for value; expected ${typeString(typ)}; got interface {}`);
  const vt = typeOf(v);
  if (vt !== undefined && sameType(vt, typ)) return v;
  throw new ExecFailure(`wrong type for value; expected ${typeString(typ)}; got ${vt === undefined ? 'interface {}' : typeString(vt)}`);
}

const isHexInt = (text: string): boolean => /^[+-]?0[xX]/.test(text) && !/[pP]/.test(text);

/** idealConstant: the value an untyped number literal takes where no parameter type guides it. */
export function idealConstant(n: NumberNode): GoValue {
  const info = n.info;
  if (info.isFloat && !isHexInt(info.text) && !info.text.startsWith("'") && /[.eEpP]/.test(info.text)) {
    return info.float64;
  }
  if (info.isInt) return info.int64;
  if (info.isUint) throw new ExecFailure(`${info.text} overflows int`);
  return undefined;
}

/** Types a literal argument (bool, number or string node) to the parameter type. */
export function literalArg(n: ArgNode, typ: GoType): GoValue {
  switch (typ.kind) {
    case 'bool':
      if (n.type === 'bool') return n.value;
      throw new ExecFailure(`expected bool; found ${nodeString(n)}`);
    case 'float64':
      if (n.type === 'number' && n.info.isFloat) return n.info.float64;
      throw new ExecFailure(`expected float; found ${nodeString(n)}`);
    case 'int':
    case 'int64':
    case 'int32':
      if (n.type === 'number' && n.info.isInt) {
        return typ.kind === 'int' ? n.info.int64 : new SizedInt(typ.kind, n.info.int64);
      }
      throw new ExecFailure(`expected integer; found ${nodeString(n)}`);
    case 'uint8':
    case 'uint64':
      if (n.type === 'number' && n.info.isUint) return new SizedInt(typ.kind, n.info.uint64);
      throw new ExecFailure(`expected unsigned integer; found ${nodeString(n)}`);
    case 'string':
      if (n.type === 'string') return n.text;
      throw new ExecFailure(`expected string; found ${nodeString(n)}`);
    case 'interface':
    case 'reflectValue':
      if (n.type === 'bool') return n.value;
      if (n.type === 'string') return n.text;
      if (n.type === 'number') return idealConstant(n);
      break;
    default:
      break;
  }
  throw new ExecFailure(`can't handle ${nodeString(n)} for arg of type ${typeString(typ)}`);
}
