// Go's fmt package for template values: Sprint, Sprintln and Sprintf with Go's verbs, flags and
// error forms (%!d(string=x), %!v(MISSING), %!(EXTRA …)), and %v's printing of maps, slices and structs.
import type { FloatVerb } from './format-float.js';
import { formatFloat } from './format-float.js';
import { canBackquote, quote, quoteRune, quoteToASCII, isPrint } from './go-quote.js';
import { typeString } from './go-types.js';
import type { GoValue } from './go-values.js';
import {
  GoChan,
  GoFunc,
  GoMap,
  GoNilPointer,
  GoSlice,
  GoStruct,
  JsonNumber,
  SizedInt,
  sortedKeys,
  typeOf,
} from './go-values.js';

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  widPresent: boolean;
  wid: number;
  precPresent: boolean;
  prec: number;
}

const FAKE_ADDRESS = 0xc000010000n;

function clearFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    widPresent: false,
    wid: 0,
    precPresent: false,
    prec: 0,
  };
}

const runeCount = (s: string): number => Array.from(s).length;

class Printer {
  buf = '';
  f: Flags = clearFlags();
  /** text/template prints a top-level pointer's target (printableValue indirects), not `&{…}`. */
  derefTop = false;
  private erroring = false;

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero ? '0' : ' ').repeat(n);
  }

  /** Pads s to the field width, counting runes as Go does. */
  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  private truncate(s: string): string {
    if (!this.f.precPresent) return s;
    return Array.from(s).slice(0, this.f.prec).join('');
  }

  private fmtBool(v: boolean, verb: string, arg: GoValue): void {
    if (verb === 't' || verb === 'v') this.pad(v ? 'true' : 'false');
    else this.badVerb(verb, arg);
  }

  private fmtIntegerBase(u: bigint, base: number, signed: boolean, verb: string, upper: boolean): void {
    const negative = signed && u < 0n;
    let abs = negative ? -u : u;
    let prec = 0;
    if (this.f.precPresent) {
      prec = this.f.prec;
      if (prec === 0 && abs === 0n) {
        const oldZero = this.f.zero;
        this.f.zero = false;
        this.writePadding(this.f.wid);
        this.f.zero = oldZero;
        return;
      }
    } else if (this.f.zero && this.f.widPresent) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--;
    }
    let digits = abs.toString(base);
    if (upper) digits = digits.toUpperCase();
    abs = 0n;
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    if (this.f.sharp) {
      if (base === 2) digits = `0b${digits}`;
      else if (base === 8 && !digits.startsWith('0')) digits = `0${digits}`;
      else if (base === 16) digits = `${upper ? '0X' : '0x'}${digits}`;
    }
    if (verb === 'O') digits = `0o${digits}`;
    if (negative) digits = `-${digits}`;
    else if (this.f.plus) digits = `+${digits}`;
    else if (this.f.space) digits = ` ${digits}`;
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(digits);
    this.f.zero = oldZero;
  }

  private fmtInteger(v: bigint, signed: boolean, verb: string, arg: GoValue): void {
    switch (verb) {
      case 'v':
      case 'd':
        if (verb === 'v' && this.f.sharpV && !signed) {
          this.buf += `0x${v.toString(16)}`;
          return;
        }
        this.fmtIntegerBase(v, 10, signed, verb, false);
        return;
      case 'b':
        this.fmtIntegerBase(v, 2, signed, verb, false);
        return;
      case 'o':
      case 'O':
        this.fmtIntegerBase(v, 8, signed, verb, false);
        return;
      case 'x':
        this.fmtIntegerBase(v, 16, signed, verb, false);
        return;
      case 'X':
        this.fmtIntegerBase(v, 16, signed, verb, true);
        return;
      case 'c': {
        const r = Number(v);
        const ok = v >= 0n && v <= 0x10ffffn && !(r >= 0xd800 && r <= 0xdfff);
        this.pad(ok ? String.fromCodePoint(r) : '\ufffd');
        return;
      }
      case 'q': {
        const q = quoteRune(v >= 0n && v <= 0x10ffffn ? Number(v) : 0xfffd);
        this.pad(this.f.plus ? asciiRuneQuote(q) : q);
        return;
      }
      case 'U': {
        const u = BigInt.asUintN(64, v);
        const prec = this.f.precPresent && this.f.prec > 4 ? this.f.prec : 4;
        let s = `U+${u.toString(16).toUpperCase().padStart(prec, '0')}`;
        const r = Number(u);
        const valid = u <= 0x10ffffn && !(r >= 0xd800 && r <= 0xdfff);
        if (this.f.sharp && valid && isPrint(String.fromCodePoint(r))) s += ` '${String.fromCodePoint(r)}'`;
        const oldZero = this.f.zero;
        this.f.zero = false;
        this.pad(s);
        this.f.zero = oldZero;
        return;
      }
      default:
        this.badVerb(verb, arg);
    }
  }

  private fmtFloatVerb(v: number, verb: string, prec: number): void {
    let num = formatFloat(v, verb as FloatVerb, this.f.precPresent ? this.f.prec : prec);
    if (!num.startsWith('-') && !num.startsWith('+')) num = `+${num}`;
    if (this.f.space && num.startsWith('+') && !this.f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.f.zero;
      this.f.zero = false;
      if (num[1] === 'N' && !this.f.space && !this.f.plus) num = num.slice(1);
      this.pad(num);
      this.f.zero = oldZero;
      return;
    }
    if (this.f.sharp && verb !== 'b') num = sharpFloat(num, verb, this.f.precPresent ? this.f.prec : prec);
    if (this.f.plus || !num.startsWith('+')) {
      if (this.f.zero && this.f.widPresent && this.f.wid > num.length) {
        this.buf += num[0] ?? '';
        this.writePadding(this.f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private fmtFloat(v: number, verb: string, arg: GoValue): void {
    switch (verb) {
      case 'v':
        this.fmtFloatVerb(v, 'g', -1);
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        this.fmtFloatVerb(v, verb, -1);
        return;
      case 'f':
      case 'F':
        this.fmtFloatVerb(v, 'f', 6);
        return;
      case 'e':
      case 'E':
        this.fmtFloatVerb(v, verb, 6);
        return;
      default:
        this.badVerb(verb, arg);
    }
  }

  private fmtHexString(s: string, upper: boolean): void {
    const bytes = Buffer.from(s, 'utf8');
    let length = bytes.length;
    if (this.f.precPresent && this.f.prec < length) length = this.f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.f.space) {
        if (this.f.sharp) width *= 2;
        width += length - 1;
      } else if (this.f.sharp) {
        width += 2;
      }
    } else {
      if (this.f.widPresent) this.writePadding(this.f.wid);
      return;
    }
    if (this.f.widPresent && this.f.wid > width && !this.f.minus) this.writePadding(this.f.wid - width);
    const prefix = upper ? '0X' : '0x';
    let out = this.f.sharp ? prefix : '';
    for (let i = 0; i < length; i++) {
      if (this.f.space && i > 0) {
        out += ' ';
        if (this.f.sharp) out += prefix;
      }
      const h = (bytes[i] ?? 0).toString(16).padStart(2, '0');
      out += upper ? h.toUpperCase() : h;
    }
    this.buf += out;
    if (this.f.widPresent && this.f.wid > width && this.f.minus) this.writePadding(this.f.wid - width);
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) this.pad(`\`${s}\``);
    else this.pad(this.f.plus ? quoteToASCII(s) : quote(s));
  }

  private fmtString(s: string, verb: string, arg: GoValue): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(s);
        else this.pad(this.truncate(s));
        return;
      case 's':
        this.pad(this.truncate(s));
        return;
      case 'x':
        this.fmtHexString(s, false);
        return;
      case 'X':
        this.fmtHexString(s, true);
        return;
      case 'q':
        this.fmtQ(s);
        return;
      default:
        this.badVerb(verb, arg);
    }
  }

  private badVerb(verb: string, arg: GoValue): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (arg === null || arg === undefined) {
      this.buf += '<nil>';
    } else {
      this.buf += `${typeString(typeOf(arg) ?? { kind: 'interface' })}=`;
      this.printArg(arg, 'v');
    }
    this.buf += ')';
    this.erroring = false;
  }

  /** Stringer handling (json.Number, time-like structs) for the verbs Go routes to String(). */
  private handleMethods(arg: GoValue, verb: string): boolean {
    if (this.erroring || this.f.sharpV) return false;
    if (!['v', 's', 'x', 'X', 'q'].includes(verb)) return false;
    if (arg instanceof JsonNumber) {
      this.fmtString(arg.text, verb, arg);
      return true;
    }
    if (arg instanceof GoStruct && arg.stringer !== undefined) {
      this.fmtString(arg.stringer(), verb, arg);
      return true;
    }
    return false;
  }

  private fmtPointer(v: GoValue, verb: string, isNil: boolean): void {
    const t = typeString(typeOf(v) ?? { kind: 'interface' });
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.buf += `(${t})(${isNil ? 'nil' : `0x${FAKE_ADDRESS.toString(16)}`})`;
        else if (isNil) this.pad('<nil>');
        else this.pad(`0x${FAKE_ADDRESS.toString(16)}`);
        return;
      case 'p':
        this.pad(`0x${(isNil ? 0n : FAKE_ADDRESS).toString(16)}`);
        return;
      case 'b':
      case 'o':
      case 'd':
      case 'x':
      case 'X':
        this.fmtInteger(isNil ? 0n : FAKE_ADDRESS, false, verb, v);
        return;
      default:
        this.badVerb(verb, v);
    }
  }

  printArg(arg: GoValue, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') {
      this.pad(this.truncate(typeString(typeOf(arg) ?? { kind: 'interface' })));
      return;
    }
    if (typeof arg === 'boolean') this.fmtBool(arg, verb, arg);
    else if (typeof arg === 'number') this.fmtFloat(arg, verb, arg);
    else if (typeof arg === 'bigint') this.fmtInteger(arg, true, verb, arg);
    else if (arg instanceof SizedInt) this.fmtInteger(arg.value, arg.type === 'int64' || arg.type === 'int32', verb, arg);
    else if (typeof arg === 'string') this.fmtString(arg, verb, arg);
    else if (!this.handleMethods(arg, verb)) this.printValue(arg, verb, 0);
  }

  printValue(v: GoValue, verb: string, depth: number): void {
    if (depth > 0 && v !== undefined && v !== null && this.handleMethods(v, verb)) return;
    if (v === undefined || v === null) {
      // A nil interface inside a container.
      if (this.f.sharpV) this.buf += 'interface {}(nil)';
      else this.buf += '<nil>';
      return;
    }
    if (typeof v === 'boolean') return this.fmtBool(v, verb, v);
    if (typeof v === 'number') return this.fmtFloat(v, verb, v);
    if (typeof v === 'bigint') return this.fmtInteger(v, true, verb, v);
    if (v instanceof SizedInt) return this.fmtInteger(v.value, v.type === 'int64' || v.type === 'int32', verb, v);
    if (typeof v === 'string') return this.fmtString(v, verb, v);
    if (v instanceof JsonNumber) return this.fmtString(v.text, verb, v);
    if (v instanceof GoMap) {
      const keys = sortedKeys(v);
      this.buf += this.f.sharpV ? `${typeString(typeOf(v) ?? { kind: 'interface' })}{` : 'map[';
      keys.forEach((k, i) => {
        if (i > 0) this.buf += this.f.sharpV ? ', ' : ' ';
        this.printValue(k, verb, depth + 1);
        this.buf += ':';
        this.printValue(v.entries.get(k), verb, depth + 1);
      });
      this.buf += this.f.sharpV ? '}' : ']';
      return;
    }
    if (v instanceof GoSlice) {
      if (this.f.sharpV) {
        this.buf += `${typeString(typeOf(v) ?? { kind: 'interface' })}{`;
        v.items.forEach((item, i) => {
          if (i > 0) this.buf += ', ';
          this.printValue(item, verb, depth + 1);
        });
        this.buf += '}';
        return;
      }
      this.buf += '[';
      v.items.forEach((item, i) => {
        if (i > 0) this.buf += ' ';
        this.printValue(item, verb, depth + 1);
      });
      this.buf += ']';
      return;
    }
    if (v instanceof GoStruct) {
      if (depth > 0) return this.fmtPointer(v, verb, false);
      if (!this.derefTop) this.buf += '&';
      if (this.f.sharpV) this.buf += v.name;
      this.buf += '{';
      v.fields.forEach(([name, value], i) => {
        if (i > 0) this.buf += this.f.sharpV ? ', ' : ' ';
        if (this.f.plusV || this.f.sharpV) this.buf += `${name}:`;
        this.printValue(value, verb, depth + 1);
      });
      this.buf += '}';
      return;
    }
    if (v instanceof GoNilPointer) return this.fmtPointer(v, verb, true);
    if (v instanceof GoChan || v instanceof GoFunc) return this.fmtPointer(v, verb, false);
  }

  doPrintf(format: string, args: readonly GoValue[]): void {
    let argNum = 0;
    let reordered = false;
    let goodArgNum = true;
    const end = format.length;
    let i = 0;

    const argNumber = (): void => {
      // [n] explicit argument index, 1-based.
      if (format[i] !== '[') return;
      reordered = true;
      const close = format.indexOf(']', i);
      const text = close < 0 ? '' : format.slice(i + 1, close);
      if (close < 0 || !/^\d+$/.test(text)) {
        goodArgNum = false;
        i = close < 0 ? end : close + 1;
        return;
      }
      const n = Number(text) - 1;
      i = close + 1;
      if (n >= 0 && n < args.length) argNum = n;
      else goodArgNum = false;
    };

    const intFromArg = (): { n: number; ok: boolean } => {
      if (argNum >= args.length) return { n: 0, ok: false };
      const a = args[argNum++];
      let n: bigint | undefined;
      if (typeof a === 'bigint') n = a;
      else if (a instanceof SizedInt) n = a.value;
      if (n === undefined || n > 1000000n || n < -1000000n) return { n: 0, ok: false };
      return { n: Number(n), ok: true };
    };

    while (i < end) {
      goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++; // skip %
      this.f = clearFlags();
      flags: for (; i < end; i++) {
        switch (format[i]) {
          case '#':
            this.f.sharp = true;
            break;
          case '0':
            this.f.zero = !this.f.minus;
            break;
          case '+':
            this.f.plus = true;
            break;
          case '-':
            this.f.minus = true;
            this.f.zero = false;
            break;
          case ' ':
            this.f.space = true;
            break;
          default:
            break flags;
        }
      }
      argNumber();
      if (i < end && format[i] === '*') {
        i++;
        const w = intFromArg();
        this.f.wid = w.n;
        this.f.widPresent = w.ok;
        if (!w.ok) this.buf += '%!(BADWIDTH)';
        if (this.f.wid < 0) {
          this.f.wid = -this.f.wid;
          this.f.minus = true;
          this.f.zero = false;
        }
      } else {
        const start = i;
        while (i < end && /[0-9]/.test(format[i] ?? '')) i++;
        if (i > start) {
          this.f.wid = Number(format.slice(start, i));
          this.f.widPresent = true;
        }
      }
      if (i + 1 <= end && format[i] === '.') {
        i++;
        argNumber();
        if (i < end && format[i] === '*') {
          i++;
          const p = intFromArg();
          this.f.prec = p.n;
          this.f.precPresent = p.ok;
          if (this.f.prec < 0) {
            this.f.prec = 0;
            this.f.precPresent = false;
          }
          if (!p.ok) this.buf += '%!(BADPREC)';
        } else {
          const start = i;
          while (i < end && /[0-9]/.test(format[i] ?? '')) i++;
          this.f.prec = i > start ? Number(format.slice(start, i)) : 0;
          this.f.precPresent = true;
        }
      }
      argNumber();
      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }
      const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
      i += verb.length;
      if (verb === '%') {
        this.buf += '%';
        continue;
      }
      if (!goodArgNum) {
        this.buf += `%!${verb}(BADINDEX)`;
        continue;
      }
      if (argNum >= args.length) {
        this.buf += `%!${verb}(MISSING)`;
        continue;
      }
      if (verb === 'v') {
        if (this.f.sharp) {
          this.f.sharp = false;
          this.f.sharpV = true;
        }
        if (this.f.plus) {
          this.f.plus = false;
          this.f.plusV = true;
        }
      }
      this.printArg(args[argNum] ?? null, verb);
      argNum++;
    }
    if (!reordered && argNum < args.length) {
      this.f = clearFlags();
      this.buf += '%!(EXTRA ';
      args.slice(argNum).forEach((arg, k) => {
        if (k > 0) this.buf += ', ';
        if (arg === null || arg === undefined) {
          this.buf += '<nil>';
        } else {
          this.buf += `${typeString(typeOf(arg) ?? { kind: 'interface' })}=`;
          this.printArg(arg, 'v');
        }
      });
      this.buf += ')';
    }
  }
}

/** The # flag on floats: always a decimal point, and %g/%v/%x keep trailing zeros to the precision. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec;
  let tail = '';
  let body = num;
  let hasDecimalPoint = false;
  let sawNonzeroDigit = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c === '.') {
      hasDecimalPoint = true;
      continue;
    }
    if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = body.slice(i);
      body = body.slice(0, i);
      break;
    }
    if (c !== '0') sawNonzeroDigit = true;
    if (sawNonzeroDigit) digits--;
  }
  if (!hasDecimalPoint) {
    if (body.length === 2 && body[1] === '0') digits--;
    body += '.';
  }
  if (digits > 0) body += '0'.repeat(digits);
  return body + tail;
}

function asciiRuneQuote(q: string): string {
  const inner = q.slice(1, -1);
  if (/^[\x20-\x7e]+$/.test(inner)) return q;
  return `'${Array.from(inner)
    .map((c) => {
      const r = c.codePointAt(0) ?? 0;
      return r < 0x10000 ? `\\u${r.toString(16).padStart(4, '0')}` : `\\U${r.toString(16).padStart(8, '0')}`;
    })
    .join('')}'`;
}

/** Operands that count as strings for Sprint's spacing rule (reflect.String kind, json.Number included). */
function isStringKind(v: GoValue): boolean {
  return typeof v === 'string' || v instanceof JsonNumber;
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, n) => {
    const isString = isStringKind(arg);
    if (n > 0 && !isString && !prevString) p.buf += ' ';
    p.f = clearFlags();
    p.printArg(arg, 'v');
    prevString = isString;
  });
  return p.buf;
}

/** What `{{ value }}` writes: fmt.Fprint of the value, with a top-level pointer dereferenced. */
export function sprintTemplateValue(v: GoValue): string {
  const p = new Printer();
  p.derefTop = true;
  p.printArg(v, 'v');
  return p.buf;
}

/** fmt.Sprintln: spaces between all operands and a trailing newline. */
export function sprintln(args: readonly GoValue[]): string {
  const p = new Printer();
  args.forEach((arg, n) => {
    if (n > 0) p.buf += ' ';
    p.f = clearFlags();
    p.printArg(arg, 'v');
  });
  return `${p.buf}\n`;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}
