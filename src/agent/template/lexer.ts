// The template lexer, following text/template/parse's rules: delimiters, `{{- ` / ` -}}` trim
// markers, comments, and the tokens inside actions (Go number, string, raw-string, char literals).

export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  | 'comment'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export interface Item {
  readonly type: ItemType;
  /** Index into the template text. */
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

const KEYWORDS: ReadonlyMap<string, ItemType> = new Map<string, ItemType>([
  ['.', 'dot'],
  ['block', 'block'],
  ['break', 'break'],
  ['continue', 'continue'],
  ['define', 'define'],
  ['else', 'else'],
  ['end', 'end'],
  ['if', 'if'],
  ['range', 'range'],
  ['nil', 'nil'],
  ['template', 'template'],
  ['with', 'with'],
]);

export const KEYWORD_TYPES: ReadonlySet<ItemType> = new Set(KEYWORDS.values());

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && (c === '_' || /^[\p{L}\p{Nd}]$/u.test(c));

/** Go's item.String(), used in "unexpected X in Y" messages. */
export function itemString(item: Item): string {
  if (item.type === 'eof') return 'EOF';
  if (item.type === 'error') return item.val;
  if (KEYWORD_TYPES.has(item.type)) return `<${item.val}>`;
  const chars = Array.from(item.val);
  if (chars.length > 10) return `${goQuoteShort(chars.slice(0, 10).join(''))}...`;
  return goQuoteShort(item.val);
}

function goQuoteShort(s: string): string {
  return JSON.stringify(s);
}

/** Tokenises a whole template. A lexical error becomes the final 'error' item. */
export function lex(input: string, leftDelim = '{{', rightDelim = '}}'): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;

  const emit = (type: ItemType): void => {
    items.push({ type, pos: start, val: input.slice(start, pos), line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    start = pos;
    startLine = line;
  };
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) if (input[pos + k] === '\n') line++;
    pos += n;
  };
  const next = (): string | undefined => {
    if (pos >= input.length) return undefined;
    const c = String.fromCodePoint(input.codePointAt(pos) ?? 0);
    advance(c.length);
    return c;
  };
  const peek = (): string | undefined => (pos >= input.length ? undefined : String.fromCodePoint(input.codePointAt(pos) ?? 0));
  const backup = (c: string | undefined): void => {
    if (c === undefined) return;
    pos -= c.length;
    if (c === '\n') line--;
  };
  const accept = (valid: string): boolean => {
    const c = peek();
    if (c !== undefined && valid.includes(c)) {
      next();
      return true;
    }
    return false;
  };
  const acceptRun = (valid: string): void => {
    while (accept(valid));
  };
  const errorf = (msg: string): false => {
    items.push({ type: 'error', pos: start, val: msg, line: startLine });
    return false;
  };
  const hasLeftTrimMarker = (at: number): boolean =>
    input[at] === '-' && isSpace(input[at + 1]);
  const hasRightTrimMarker = (at: number): boolean => isSpace(input[at]) && input[at + 1] === '-';
  /** [atDelim, trimSpace] at the current position. */
  const atRightDelim = (): [boolean, boolean] => {
    if (hasRightTrimMarker(pos) && input.startsWith(rightDelim, pos + 2)) return [true, true];
    if (input.startsWith(rightDelim, pos)) return [true, false];
    return [false, false];
  };
  const atTerminator = (): boolean => {
    const c = peek();
    if (c === undefined || isSpace(c)) return true;
    if ('.,|:()'.includes(c)) return true;
    return input.startsWith(rightDelim, pos);
  };
  const skipSpaceAfterTrim = (): void => {
    while (isSpace(input[pos])) advance(1);
    ignore();
  };

  // lexText
  const lexText = (): boolean => {
    const x = input.indexOf(leftDelim, pos);
    if (x >= 0) {
      const ldn = x + leftDelim.length;
      const trim = hasLeftTrimMarker(ldn);
      let textEnd = x;
      if (trim) {
        while (textEnd > pos && isSpace(input[textEnd - 1])) textEnd--;
      }
      advance(textEnd - pos);
      if (pos > start) emit('text');
      advance(x - pos);
      ignore();
      return lexLeftDelim();
    }
    advance(input.length - pos);
    if (pos > start) emit('text');
    items.push({ type: 'eof', pos, val: '', line });
    return false;
  };

  const lexLeftDelim = (): boolean => {
    advance(leftDelim.length);
    const trim = hasLeftTrimMarker(pos);
    const afterMarker = trim ? 2 : 0;
    if (input.startsWith('/*', pos + afterMarker)) {
      advance(afterMarker);
      ignore();
      return lexComment();
    }
    emit('leftDelim');
    advance(afterMarker);
    ignore();
    parenDepth = 0;
    return true; // continue inside action
  };

  const lexComment = (): boolean => {
    advance(2);
    const x = input.indexOf('*/', pos);
    if (x < 0) return errorf('unclosed comment');
    advance(x + 2 - pos);
    const [delim, trim] = atRightDelim();
    if (!delim) return errorf('comment ends before closing delimiter');
    emit('comment');
    if (trim) advance(2);
    advance(rightDelim.length);
    ignore();
    if (trim) skipSpaceAfterTrim();
    return lexText();
  };

  const lexRightDelim = (): boolean => {
    const [, trim] = atRightDelim();
    if (trim) {
      advance(2);
      ignore();
    }
    advance(rightDelim.length);
    emit('rightDelim');
    if (trim) skipSpaceAfterTrim();
    return lexText();
  };

  const lexSpace = (): boolean => {
    let numSpaces = 0;
    while (isSpace(peek())) {
      next();
      numSpaces++;
    }
    if (hasRightTrimMarker(pos - 1) && input.startsWith(rightDelim, pos - 1 + 2)) {
      backup(input[pos - 1]);
      if (numSpaces === 1) return lexRightDelim();
    }
    emit('space');
    return true;
  };

  const lexFieldOrVariable = (type: 'field' | 'variable'): boolean => {
    if (atTerminator()) {
      emit(type === 'variable' ? 'variable' : 'dot');
      return true;
    }
    let c: string | undefined;
    for (;;) {
      c = next();
      if (!isAlphaNumeric(c)) {
        backup(c);
        break;
      }
    }
    if (!atTerminator()) return errorf(`bad character ${goRuneDesc(peek())}`);
    emit(type);
    return true;
  };

  const lexIdentifier = (): boolean => {
    for (;;) {
      const c = next();
      if (!isAlphaNumeric(c)) {
        backup(c);
        break;
      }
    }
    if (!atTerminator()) return errorf(`bad character ${goRuneDesc(peek())}`);
    const word = input.slice(start, pos);
    const kw = KEYWORDS.get(word);
    if (kw !== undefined && kw !== 'dot') emit(kw);
    else if (word === 'true' || word === 'false') emit('bool');
    else emit('identifier');
    return true;
  };

  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };

  const lexNumber = (): boolean => {
    if (!scanNumber()) return errorf(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
    const sign = peek();
    if (sign === '+' || sign === '-') {
      if (!scanNumber() || input[pos - 1] !== 'i') return errorf(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
      emit('complex');
    } else {
      emit('number');
    }
    return true;
  };

  const lexQuote = (): boolean => {
    for (;;) {
      const c = next();
      if (c === '\\') {
        const d = next();
        if (d !== undefined && d !== '\n') continue;
        return errorf('unterminated quoted string');
      }
      if (c === undefined || c === '\n') return errorf('unterminated quoted string');
      if (c === '"') break;
    }
    emit('string');
    return true;
  };

  const lexRawQuote = (): boolean => {
    for (;;) {
      const c = next();
      if (c === undefined) return errorf('unterminated raw quoted string');
      if (c === '`') break;
    }
    emit('rawString');
    return true;
  };

  const lexChar = (): boolean => {
    for (;;) {
      const c = next();
      if (c === '\\') {
        const d = next();
        if (d !== undefined && d !== '\n') continue;
        return errorf('unterminated character constant');
      }
      if (c === undefined || c === '\n') return errorf('unterminated character constant');
      if (c === "'") break;
    }
    emit('charConstant');
    return true;
  };

  const lexInsideAction = (): boolean => {
    const [delim] = atRightDelim();
    if (delim) {
      if (parenDepth === 0) return lexRightDelim();
      return errorf('unclosed left paren');
    }
    const c = next();
    if (c === undefined) return errorf('unclosed action');
    if (isSpace(c)) {
      backup(c);
      return lexSpace();
    }
    switch (c) {
      case '=':
        emit('assign');
        return true;
      case ':':
        if (next() !== '=') return errorf('expected :=');
        emit('declare');
        return true;
      case '|':
        emit('pipe');
        return true;
      case '"':
        return lexQuote();
      case '`':
        return lexRawQuote();
      case '$':
        return lexFieldOrVariable('variable');
      case "'":
        return lexChar();
      case '(':
        emit('leftParen');
        parenDepth++;
        return true;
      case ')':
        parenDepth--;
        if (parenDepth < 0) return errorf('unexpected right paren');
        emit('rightParen');
        return true;
      default:
        break;
    }
    if (c === '.') {
      const d = input[pos];
      if (d === undefined || d < '0' || d > '9') return lexFieldOrVariable('field');
    }
    if (c === '.' || c === '+' || c === '-' || (c >= '0' && c <= '9')) {
      backup(c);
      return lexNumber();
    }
    if (isAlphaNumeric(c)) {
      backup(c);
      return lexIdentifier();
    }
    const cp = c.codePointAt(0) ?? 0;
    if (cp <= 0x7f && cp >= 0x20 && cp !== 0x7f) {
      emit('char');
      return true;
    }
    return errorf(`unrecognized character in action: ${goRuneDesc(c)}`);
  };

  let inAction = lexText();
  while (inAction) {
    inAction = lexInsideAction();
    // After a right delimiter the text lexer already ran; an item list ending in eof/error stops.
    const last = items[items.length - 1];
    if (last !== undefined && (last.type === 'eof' || last.type === 'error')) break;
  }
  const last = items[items.length - 1];
  if (last === undefined || (last.type !== 'eof' && last.type !== 'error')) {
    items.push({ type: 'eof', pos, val: '', line });
  }
  return items;
}

/** Go's %#U rendering of a rune, e.g. U+0021 '!'. */
function goRuneDesc(c: string | undefined): string {
  if (c === undefined) return 'U+FFFFFFFF';
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c) ? `U+${hex} '${c}'` : `U+${hex}`;
}
