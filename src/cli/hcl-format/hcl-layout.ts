// What the HCL syntax tree leaves out but a formatter must keep: comments (with where they sit)
// and where each `{`/`[` closes. Scans the same lexical grammar as shared/hcl's lexer.

import type { HclPos } from '../../shared/index.js';

export interface HclComment {
  readonly start: HclPos;
  readonly endLine: number;
  /** The comment as written (a `#` or `//` line, or a slash-star block), trailing spaces removed. */
  readonly text: string;
  /** Code precedes it on its first line (`a = 1 # x`). */
  readonly inline: boolean;
}

export interface HclLayout {
  readonly comments: readonly HclComment[];
  /** Where the `}` or `]` matching the opener at a position is, keyed by `posKey(opener)`. */
  readonly closeOf: ReadonlyMap<string, HclPos>;
  /** The line of a heredoc's closing marker, keyed by `posKey(start of "<<")`. */
  readonly heredocEnd: ReadonlyMap<string, number>;
}

export const posKey = (p: HclPos): string => `${p.line}:${p.column}`;

/** Positions are before/after in reading order. */
export function before(a: HclPos, b: HclPos): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/**
 * Scans `text`, which must already have parsed with parseHcl (errors are not reported here:
 * unterminated constructs simply end the scan).
 */
export function scanHclLayout(text: string): HclLayout {
  const comments: HclComment[] = [];
  const closeOf = new Map<string, HclPos>();
  const heredocEnd = new Map<string, number>();
  const open: HclPos[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  let codeLine = 0;
  const ch = (o = 0): string => text[i + o] ?? '';
  const here = (): HclPos => ({ line, column: col });
  const advance = (n = 1): void => {
    for (let k = 0; k < n && i < text.length; k++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };

  while (i < text.length) {
    const c = ch();
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\uFEFF') {
      advance();
      continue;
    }
    const start = here();
    if (c === '#' || (c === '/' && ch(1) === '/')) {
      const from = i;
      while (i < text.length && ch() !== '\n') advance();
      comments.push({ start, endLine: start.line, text: text.slice(from, i).trimEnd(), inline: codeLine === start.line });
      continue;
    }
    if (c === '/' && ch(1) === '*') {
      const from = i;
      advance(2);
      while (i < text.length && !(ch() === '*' && ch(1) === '/')) advance();
      advance(2);
      comments.push({ start, endLine: line, text: text.slice(from, i), inline: codeLine === start.line });
      continue;
    }
    codeLine = line;
    if (c === '{' || c === '[') {
      open.push(start);
      advance();
    } else if (c === '}' || c === ']') {
      const o = open.pop();
      if (o !== undefined) closeOf.set(posKey(o), start);
      advance();
    } else if (c === '"') {
      skipQuoted();
    } else if (c === '<' && ch(1) === '<') {
      skipHeredoc();
      heredocEnd.set(posKey(start), line);
      codeLine = line;
    } else {
      advance();
    }
  }
  return { comments, closeOf, heredocEnd };

  function skipQuoted(): void {
    advance();
    while (i < text.length && ch() !== '"' && ch() !== '\n') {
      if (ch() === '\\') advance(2);
      else if ((ch() === '$' || ch() === '%') && ch(1) === '{') skipTemplate();
      else advance();
    }
    advance();
  }

  // `${ ... }` may hold quoted strings whose quotes do not end the outer string.
  function skipTemplate(): void {
    advance(2);
    let depth = 1;
    while (depth > 0 && i < text.length && ch() !== '\n') {
      const c2 = ch();
      if (c2 === '{') depth++;
      else if (c2 === '}') depth--;
      else if (c2 === '\\') advance();
      else if (c2 === '"') {
        advance();
        while (i < text.length && ch() !== '"' && ch() !== '\n') {
          if (ch() === '\\') advance();
          advance();
        }
      }
      advance();
    }
  }

  function skipHeredoc(): void {
    advance(2);
    if (ch() === '-') advance();
    const m = i;
    while (i < text.length && /[A-Za-z0-9_\-.]/.test(ch())) advance();
    const marker = text.slice(m, i);
    while (i < text.length && ch() !== '\n') advance();
    advance();
    for (;;) {
      if (i >= text.length) return;
      const nl = text.indexOf('\n', i);
      const end = nl === -1 ? text.length : nl;
      const raw = text.slice(i, end).replace(/\r$/, '');
      advance(end - i);
      if (raw.trim() === marker) return;
      advance();
    }
  }
}
