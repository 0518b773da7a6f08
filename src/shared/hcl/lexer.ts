// Tokenizer for the HCL subset Vault files use: comments, identifiers, quoted strings,
// heredocs, numbers and punctuation. Newlines are not tokens; the grammar does not need them.

import type { HclPos } from './ast.js';
import { HclSyntaxError } from './syntax-error.js';

export type Punct = '{' | '}' | '[' | ']' | '=' | ':' | ',';

export type Token =
  | { readonly kind: 'ident'; readonly text: string; readonly pos: HclPos }
  | { readonly kind: 'string'; readonly text: string; readonly heredoc: boolean; readonly pos: HclPos }
  | { readonly kind: 'number'; readonly text: string; readonly value: number; readonly pos: HclPos }
  | { readonly kind: 'punct'; readonly text: Punct; readonly pos: HclPos }
  | { readonly kind: 'eof'; readonly text: ''; readonly pos: HclPos };

const PUNCT = new Set<string>(['{', '}', '[', ']', '=', ':', ',']);
const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentChar = (c: string): boolean => /[A-Za-z0-9_\-.]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

// Sticky, so numbers are matched in place without copying the rest of the text.
const NUMBER = /[-+]?(?:0[xX][0-9A-Fa-f]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)/y;
const BAD_NUMBER = /[-+]?[A-Za-z0-9_.\-+]*/y;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  '/': '/',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** Splits `text` into tokens, ending with one `eof` token. Throws HclSyntaxError. */
export function tokenize(text: string, fileName: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;

  const here = (): HclPos => ({ line, column: col });
  const fail = (pos: HclPos, reason: string): never => {
    throw new HclSyntaxError(fileName, pos, reason);
  };
  // Moves over n characters, keeping line/column in step.
  const advance = (n = 1): void => {
    for (let k = 0; k < n && i < text.length; k++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
      i++;
    }
  };
  const ch = (offset = 0): string => text[i + offset] ?? '';

  while (i < text.length) {
    const c = ch();
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\uFEFF') {
      advance();
      continue;
    }
    if (c === '#' || (c === '/' && ch(1) === '/')) {
      while (i < text.length && ch() !== '\n') advance();
      continue;
    }
    if (c === '/' && ch(1) === '*') {
      const start = here();
      advance(2);
      while (i < text.length && !(ch() === '*' && ch(1) === '/')) advance();
      if (i >= text.length) fail(start, 'unterminated block comment; expected "*/"');
      advance(2);
      continue;
    }
    const pos = here();
    if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', text: c as Punct, pos });
      advance();
      continue;
    }
    if (c === '"') {
      tokens.push({ kind: 'string', text: readQuoted(pos), heredoc: false, pos });
      continue;
    }
    if (c === '<' && ch(1) === '<') {
      tokens.push({ kind: 'string', text: readHeredoc(pos), heredoc: true, pos });
      continue;
    }
    if (isDigit(c) || ((c === '-' || c === '+') && (isDigit(ch(1)) || ch(1) === '.'))) {
      tokens.push(readNumber(pos));
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      while (i < text.length && isIdentChar(ch())) advance();
      tokens.push({ kind: 'ident', text: text.slice(start, i), pos });
      continue;
    }
    fail(pos, `unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'eof', text: '', pos: here() });
  return tokens;

  function readQuoted(start: HclPos): string {
    advance(); // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) return fail(start, 'unterminated string; expected a closing \'"\'');
      const c2 = ch();
      if (c2 === '"') {
        advance();
        return out;
      }
      if (c2 === '\n') return fail(here(), 'newline in string; expected a closing \'"\'');
      if ((c2 === '$' || c2 === '%') && ch(1) === '{') {
        out += readTemplateSequence(start);
        continue;
      }
      if (c2 === '\\') {
        out += readEscape();
        continue;
      }
      out += c2;
      advance();
    }
  }

  // Copies `${ ... }` verbatim (nested braces and quoted strings included): interpolation is
  // not evaluated, but a quote inside it must not end the outer string.
  function readTemplateSequence(stringStart: HclPos): string {
    const begin = i;
    advance(2);
    let depth = 1;
    while (depth > 0) {
      if (i >= text.length) return fail(stringStart, 'unterminated string; expected a closing \'"\'');
      const c2 = ch();
      if (c2 === '\n') return fail(here(), 'newline in string; expected a closing \'"\'');
      if (c2 === '{') depth++;
      else if (c2 === '}') depth--;
      else if (c2 === '\\') {
        advance();
      } else if (c2 === '"') {
        advance();
        while (i < text.length && ch() !== '"' && ch() !== '\n') {
          if (ch() === '\\') advance();
          advance();
        }
      }
      advance();
    }
    return text.slice(begin, i);
  }

  function readEscape(): string {
    const pos2 = here();
    const e = ch(1);
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      advance(2);
      return simple;
    }
    if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) {
        const shown = /^[0-9A-Fa-f]*/.exec(hex)?.[0] ?? '';
        return fail(pos2, `invalid escape "\\${e}${shown}"; expected ${len} hex digits`);
      }
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) return fail(pos2, `invalid escape "\\${e}${hex}"; not a Unicode code point`);
      advance(2 + len);
      // Lone surrogates (JSON writes astral characters as \uD83D\uDE00) join up naturally.
      return cp <= 0xffff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
    }
    return fail(pos2, `invalid escape "\\${e}" in string`);
  }

  function readHeredoc(start: HclPos): string {
    advance(2);
    let indented = false;
    if (ch() === '-') {
      indented = true;
      advance();
    }
    const markerStart = i;
    if (!isIdentStart(ch())) fail(here(), 'expected a heredoc marker such as EOF after "<<"');
    while (i < text.length && isIdentChar(ch())) advance();
    const marker = text.slice(markerStart, i);
    while (ch() === ' ' || ch() === '\t' || ch() === '\r') advance();
    if (ch() !== '\n') fail(here(), `expected a newline after heredoc marker "${marker}"`);
    advance();
    const lines: string[] = [];
    for (;;) {
      if (i >= text.length) return fail(start, `unterminated heredoc; expected a line "${marker}"`);
      const nl = text.indexOf('\n', i);
      const end = nl === -1 ? text.length : nl;
      const raw = text.slice(i, end).replace(/\r$/, '');
      advance(end - i);
      if (raw.trim() === marker) break;
      lines.push(raw);
      if (nl === -1) return fail(start, `unterminated heredoc; expected a line "${marker}"`);
      advance(); // the newline
    }
    if (indented) {
      const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
      const strip = indents.length > 0 ? Math.min(...indents) : 0;
      for (let k = 0; k < lines.length; k++) lines[k] = (lines[k] ?? '').slice(strip);
    }
    return lines.map((l) => `${l}\n`).join('');
  }

  function readNumber(pos: HclPos): Token {
    NUMBER.lastIndex = i;
    const raw = NUMBER.exec(text)?.[0] ?? '';
    const after = text[i + raw.length] ?? '';
    if (raw === '' || isIdentChar(after)) {
      BAD_NUMBER.lastIndex = i;
      const bad = BAD_NUMBER.exec(text)?.[0] ?? ch();
      return fail(pos, `invalid number "${bad}"`);
    }
    advance(raw.length);
    const sign = raw.startsWith('-') ? -1 : 1;
    const body = raw.replace(/^[-+]/, '');
    const value = /^0[xX]/.test(body) ? sign * parseInt(body.slice(2), 16) : Number(raw);
    return { kind: 'number', text: raw, value, pos };
  }
}
