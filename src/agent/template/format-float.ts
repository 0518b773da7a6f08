// Go's strconv.FormatFloat(v, fmt, prec, 64) for the %e %f %g family: shortest digits when prec is
// -1, otherwise exact decimal expansion with round-half-even on exact ties (Go prints 0.125 as 0.12).

interface Digits {
  /** Significant digits without leading zeros; value = 0.d1d2… × 10^dp. */
  d: string;
  dp: number;
}

/** Exact decimal expansion of a finite, non-negative double. */
function exactDigits(v: number): Digits {
  if (v === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const rawExp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (rawExp === 0) {
    exp = -1074;
  } else {
    mant |= 1n << 52n;
    exp = rawExp - 1075;
  }
  let d: string;
  let dp: number;
  if (exp >= 0) {
    d = (mant << BigInt(exp)).toString();
    dp = d.length;
  } else {
    d = (mant * 5n ** BigInt(-exp)).toString();
    dp = d.length + exp;
  }
  return trimZeros({ d, dp });
}

function trimZeros(x: Digits): Digits {
  let end = x.d.length;
  while (end > 0 && x.d[end - 1] === '0') end--;
  let start = 0;
  while (start < end && x.d[start] === '0') start++;
  return { d: x.d.slice(start, end), dp: x.dp - start };
}

/** Shortest digits that round-trip (JavaScript's and Go's shortest agree). */
function shortestDigits(v: number): Digits {
  if (v === 0) return { d: '', dp: 0 };
  const [mant = '0', e = '0'] = v.toExponential().split('e');
  return trimZeros({ d: mant.replace('.', ''), dp: Number(e) + 1 });
}

/** Rounds to nd digits the way Go's decimal.Round does (half-even only on exact ties). */
function roundTo(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const next = x.d[nd] ?? '0';
  let up: boolean;
  if (next === '5' && nd + 1 === x.d.length) {
    up = nd > 0 && Number(x.d[nd - 1]) % 2 === 1;
  } else {
    up = next >= '5';
  }
  if (!up) return trimZeros({ d: x.d.slice(0, nd), dp: x.dp });
  const chars = x.d.slice(0, nd).split('');
  let i = nd - 1;
  while (i >= 0 && chars[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  chars[i] = String(Number(chars[i]) + 1);
  return trimZeros({ d: chars.slice(0, i + 1).join(''), dp: x.dp });
}

function fmtE(x: Digits, prec: number, e: 'e' | 'E'): string {
  let s = x.d.length === 0 ? '0' : (x.d[0] ?? '0');
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += x.d[i] ?? '0';
  }
  const exp = x.d.length === 0 ? 0 : x.dp - 1;
  const abs = Math.abs(exp);
  return `${s}${e}${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : String(abs)}`;
}

function fmtF(x: Digits, prec: number): string {
  let s: string;
  if (x.dp > 0) {
    const m = Math.min(x.d.length, x.dp);
    s = x.d.slice(0, m) + '0'.repeat(x.dp - m);
  } else {
    s = '0';
  }
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      s += j >= 0 && j < x.d.length ? (x.d[j] ?? '0') : '0';
    }
  }
  return s;
}

export type FloatVerb = 'e' | 'E' | 'f' | 'g' | 'G' | 'x' | 'X' | 'b';

/** %b: decimal mantissa and binary exponent, e.g. 7074231776675438p-51. */
function formatBinaryExponent(abs: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const bits = view.getBigUint64(0);
  const rawExp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp = -1074;
  if (rawExp !== 0) {
    mant |= 1n << 52n;
    exp = rawExp - 1075;
  }
  return `${mant}p${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
}

/** %x / %X: hexadecimal mantissa and binary exponent, e.g. 0x1.cp+01. */
function formatHexFloat(abs: number, prec: number, upper: boolean): string {
  let mant = 0n;
  let exp = 0;
  if (abs !== 0) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, abs);
    const bits = view.getBigUint64(0);
    const rawExp = Number((bits >> 52n) & 0x7ffn);
    mant = bits & ((1n << 52n) - 1n);
    if (rawExp === 0) {
      exp = -1022;
      while ((mant & (1n << 52n)) === 0n) {
        mant <<= 1n;
        exp--;
      }
      mant &= (1n << 52n) - 1n;
    } else {
      exp = rawExp - 1023;
    }
    mant |= 1n << 52n;
  }
  // mant is 1.xxxx with 52 fraction bits = 13 hex digits.
  if (prec >= 0 && prec < 13) {
    const shift = BigInt(4 * (13 - prec));
    const half = 1n << (shift - 1n);
    const rem = mant & ((1n << shift) - 1n);
    mant >>= shift;
    if (rem > half || (rem === half && (mant & 1n) === 1n)) mant++;
    if (mant >> BigInt(4 * prec) >= 2n) {
      mant >>= 1n;
      exp++;
    }
    mant <<= shift;
  }
  let frac = (mant & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  if (prec < 0) frac = frac.replace(/0+$/, '');
  else frac = frac.slice(0, prec).padEnd(prec, '0');
  const lead = abs === 0 ? '0' : '1';
  const e = Math.abs(exp);
  let s = `0x${lead}${frac === '' ? '' : `.${frac}`}p${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  if (upper) s = s.toUpperCase();
  return s;
}

/** strconv.FormatFloat(v, verb, prec, 64); prec -1 means the shortest representation. */
export function formatFloat(v: number, verb: FloatVerb, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const abs = Math.abs(v);
  if (verb === 'x' || verb === 'X') return (neg ? '-' : '') + formatHexFloat(abs, prec, verb === 'X');
  if (verb === 'b') return (neg ? '-' : '') + formatBinaryExponent(abs);
  const shortest = prec < 0;
  let digs: Digits;
  if (shortest) {
    digs = shortestDigits(abs);
    const nd = digs.d.length;
    switch (verb) {
      case 'e':
      case 'E':
        prec = Math.max(nd - 1, 0);
        break;
      case 'f':
        prec = Math.max(nd - digs.dp, 0);
        break;
      default:
        prec = nd;
    }
  } else {
    const exact = exactDigits(abs);
    switch (verb) {
      case 'e':
      case 'E':
        digs = roundTo(exact, prec + 1);
        break;
      case 'f':
        digs = roundTo(exact, exact.dp + prec);
        break;
      default:
        if (prec === 0) prec = 1;
        digs = roundTo(exact, prec);
    }
  }
  const sign = neg ? '-' : '';
  switch (verb) {
    case 'e':
    case 'E':
      return sign + fmtE(digs, prec, verb);
    case 'f':
      return sign + fmtF(digs, prec);
    default: {
      let eprec = prec;
      const nd = digs.d.length;
      if (eprec > nd && nd >= digs.dp) eprec = nd;
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      if (nd !== 0 && (exp < -4 || exp >= eprec)) {
        const p = Math.min(prec, nd);
        return sign + fmtE(digs, p - 1, verb === 'g' ? 'e' : 'E');
      }
      const p = prec > digs.dp ? nd : prec;
      return sign + fmtF(digs, Math.max(p - digs.dp, 0));
    }
  }
}
