// Go's strconv quoting rules: Quote/QuoteRune/QuoteToASCII for %q, and UnquoteChar for the
// string, raw-string and character literals of the template language.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(ch: string): boolean {
  return PRINTABLE.test(ch);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(ch: string, quote: string, asciiOnly: boolean): string {
  const r = ch.codePointAt(0) ?? 0xfffd;
  if (ch === quote || ch === '\\') return `\\${ch}`;
  if (asciiOnly ? r < 0x80 && isPrint(ch) : isPrint(ch)) return ch;
  switch (ch) {
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\v':
      return '\\v';
    default:
      if (r < 0x20 || r === 0x7f) return `\\x${hex(r, 2)}`;
      if (r < 0x10000) return `\\u${hex(r, 4)}`;
      return `\\U${hex(r, 8)}`;
  }
}

function runes(s: string): string[] {
  // Lone surrogates cannot come from valid UTF-8; Go would see U+FFFD.
  return Array.from(s, (c) => (c.length === 1 && /[\ud800-\udfff]/.test(c) ? '\ufffd' : c));
}

/** strconv.Quote. */
export function quote(s: string): string {
  return `"${runes(s)
    .map((c) => escapeRune(c, '"', false))
    .join('')}"`;
}

/** strconv.QuoteToASCII. */
export function quoteToASCII(s: string): string {
  return `"${runes(s)
    .map((c) => escapeRune(c, '"', true))
    .join('')}"`;
}

/** strconv.QuoteRune (%q of an integer). */
export function quoteRune(r: number): string {
  const ch = r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) ? '\ufffd' : String.fromCodePoint(r);
  return `'${escapeRune(ch, "'", false)}'`;
}

/** strconv.CanBackquote: no control characters other than tab, no backquote. */
export function canBackquote(s: string): boolean {
  for (const c of s) {
    if (c === '`' || c === '\ufeff') return false;
    const r = c.codePointAt(0) ?? 0;
    if ((r < 0x20 && c !== '\t') || r === 0x7f) return false;
  }
  return true;
}

export class UnquoteError extends Error {}

/**
 * strconv.Unquote for the three literal forms. Byte escapes (\x, octal) are collected as bytes and
 * decoded as UTF-8, which is how Go's string would read when printed.
 */
export function unquote(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) throw new UnquoteError('invalid syntax');
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new UnquoteError('invalid syntax');
    return body.replace(/\r/g, '');
  }
  if (q !== '"' && q !== "'") throw new UnquoteError('invalid syntax');
  const bytes: number[] = [];
  const pushString = (s: string): void => {
    for (const b of Buffer.from(s, 'utf8')) bytes.push(b);
  };
  let i = 0;
  let count = 0;
  while (i < body.length) {
    const c = body[i] ?? '';
    if (c === q || c === '\n') throw new UnquoteError('invalid syntax');
    if (c !== '\\') {
      const cp = body.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      pushString(ch);
      i += ch.length;
      count++;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    count++;
    switch (e) {
      case 'a':
        bytes.push(7);
        break;
      case 'b':
        bytes.push(8);
        break;
      case 'f':
        bytes.push(12);
        break;
      case 'n':
        bytes.push(10);
        break;
      case 'r':
        bytes.push(13);
        break;
      case 't':
        bytes.push(9);
        break;
      case 'v':
        bytes.push(11);
        break;
      case '\\':
        bytes.push(0x5c);
        break;
      case "'":
      case '"':
        if (e !== q) throw new UnquoteError('invalid syntax');
        bytes.push(e.charCodeAt(0));
        break;
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const digits = body.slice(i, i + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw new UnquoteError('invalid syntax');
        const v = parseInt(digits, 16);
        i += n;
        if (e === 'x') {
          if (q === "'") pushString(String.fromCodePoint(v));
          else bytes.push(v);
        } else {
          if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new UnquoteError('invalid syntax');
          pushString(String.fromCodePoint(v));
        }
        break;
      }
      default: {
        if (e === undefined || e < '0' || e > '7') throw new UnquoteError('invalid syntax');
        const digits = body.slice(i - 1, i + 2);
        if (!/^[0-7]{3}$/.test(digits)) throw new UnquoteError('invalid syntax');
        const v = parseInt(digits, 8);
        if (v > 255) throw new UnquoteError('invalid syntax');
        i += 2;
        bytes.push(v);
      }
    }
  }
  if (q === "'" && count !== 1) throw new UnquoteError('invalid syntax');
  return Buffer.from(bytes).toString('utf8');
}
