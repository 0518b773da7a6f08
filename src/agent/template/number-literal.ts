// Go's parse.NumberNode analysis of a numeric or character literal: which of int, uint and
// float64 it can represent, so arguments can be typed to the parameter they are passed to.
import { unquote, UnquoteError } from './go-quote.js';

export interface NumberInfo {
  readonly text: string;
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly isComplex: boolean;
  readonly int64: bigint;
  readonly uint64: bigint;
  readonly float64: number;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv.ParseInt/ParseUint(text, 0, 64) syntax: sign, base prefix, underscores, legacy octal. */
function parseGoInteger(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  let base = 10;
  let body = s;
  let prefixed = false;
  if (/^0[xX]/.test(s)) {
    base = 16;
    body = s.slice(2);
    prefixed = true;
  } else if (/^0[bB]/.test(s)) {
    base = 2;
    body = s.slice(2);
    prefixed = true;
  } else if (/^0[oO]/.test(s)) {
    base = 8;
    body = s.slice(2);
    prefixed = true;
  } else if (/^0\d/.test(s) || s.startsWith('0_')) {
    base = 8;
    body = s.slice(1);
    prefixed = true;
  }
  // Underscores only between digits (or after a base prefix), per Go's underscoreOK.
  if (body.includes('_')) {
    if (!prefixed && base === 10 && !/^\d(_?\d)*$/.test(body)) return undefined;
    if (prefixed && !/^_?[0-9a-fA-F](_?[0-9a-fA-F])*$/.test(body)) return undefined;
    body = body.replace(/_/g, '');
  }
  if (body === '') return base === 8 && s === '0' ? 0n : s === '0' ? 0n : undefined;
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!valid.test(body)) return undefined;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base as 2 | 8 | 10 | 16];
  const v = BigInt(prefix + body);
  return neg ? -v : v;
}

/** strconv.ParseFloat(text, 64) for Go-syntax decimal and hexadecimal floats. */
function parseGoFloat(text: string): number | undefined {
  const s = text.replace(/_/g, '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (m !== null) {
    const [, sign = '', intPart = '', frac = '', exp = '0'] = m;
    if (intPart === '' && frac === '') return undefined;
    const mant = parseInt(intPart + frac || '0', 16);
    const v = mant * 2 ** (Number(exp) - 4 * frac.length);
    return sign === '-' ? -v : v;
  }
  return undefined;
}

export class NumberSyntaxError extends Error {}

/** parse.newNumber: throws NumberSyntaxError with Go's message for malformed literals. */
export function analyzeNumber(text: string, type: 'number' | 'charConstant' | 'complex'): NumberInfo {
  if (type === 'charConstant') {
    let s: string;
    try {
      s = unquote(text);
    } catch (e) {
      if (e instanceof UnquoteError) throw new NumberSyntaxError(`malformed character constant: ${text}`);
      throw e;
    }
    const r = BigInt(s.codePointAt(0) ?? 0);
    return { text, isInt: true, isUint: true, isFloat: true, isComplex: false, int64: r, uint64: r, float64: Number(r) };
  }
  if (type === 'complex' || text.endsWith('i')) {
    throw new NumberSyntaxError(`complex numbers are not supported: ${JSON.stringify(text)}`);
  }
  let isInt = false;
  let isUint = false;
  let isFloat = false;
  let int64 = 0n;
  let uint64 = 0n;
  let float64 = 0;
  const iv = parseGoInteger(text);
  if (iv !== undefined && !text.startsWith('-') && iv >= 0n && iv <= UINT64_MAX) {
    isUint = true;
    uint64 = iv;
  }
  if (iv !== undefined && iv >= INT64_MIN && iv <= INT64_MAX) {
    isInt = true;
    int64 = iv;
    if (iv === 0n) {
      isUint = true;
      uint64 = 0n;
    }
  }
  if (isInt) {
    isFloat = true;
    float64 = Number(int64);
  } else if (isUint) {
    isFloat = true;
    float64 = Number(uint64);
  } else {
    const f = parseGoFloat(text);
    if (f !== undefined && Number.isFinite(f)) {
      if (!/[.eEpP]/.test(text)) throw new NumberSyntaxError(`integer overflow: ${JSON.stringify(text)}`);
      isFloat = true;
      float64 = f;
      if (Number.isInteger(f) && BigInt(f) >= INT64_MIN && BigInt(f) <= INT64_MAX) {
        isInt = true;
        int64 = BigInt(f);
      }
      if (Number.isInteger(f) && f >= 0 && BigInt(f) <= UINT64_MAX) {
        isUint = true;
        uint64 = BigInt(f);
      }
    }
  }
  if (!isInt && !isUint && !isFloat) throw new NumberSyntaxError(`illegal number syntax: ${JSON.stringify(text)}`);
  return { text, isInt, isUint, isFloat, isComplex: false, int64, uint64, float64 };
}
