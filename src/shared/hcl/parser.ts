// Recursive-descent parser from tokens to the HCL syntax tree. A document whose first token is
// `{` is read as one JSON-style object (Vault accepts JSON for the same files) and its body returned.

import type { HclAttribute, HclBlock, HclBody, HclObject, HclPos, HclValue } from './ast.js';
import { tokenize, type Token } from './lexer.js';
import { HclSyntaxError } from './syntax-error.js';

/**
 * Parses HCL (or JSON) text into a body. `fileName` only prefixes error messages.
 * Throws HclSyntaxError (a CofferError with code invalid_request) naming file, line and column.
 */
export function parseHcl(text: string, fileName = '<input>'): HclBody {
  const p = new Parser(tokenize(text, fileName), fileName);
  return p.parseDocument();
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of file';
    case 'punct':
      return `'${t.text}'`;
    case 'ident':
      return `identifier "${t.text}"`;
    case 'string':
      return t.heredoc ? 'a heredoc' : `string ${JSON.stringify(t.text)}`;
    case 'number':
      return `number ${t.text}`;
  }
}

// Deeper nesting than any real config or policy; stops hostile input from exhausting the stack.
const MAX_DEPTH = 100;

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly fileName: string,
  ) {}

  parseDocument(): HclBody {
    const first = this.peek();
    if (first.kind === 'punct' && first.text === '{') {
      const obj = this.parseObject();
      const end = this.peek();
      if (end.kind !== 'eof') this.fail(end, `expected end of file after the top-level object, found ${describe(end)}`);
      return obj.body;
    }
    return this.parseBody(null, false);
  }

  private peek(): Token {
    // tokenize() always ends with eof, and we never advance past it.
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.text === p;
  }

  private fail(at: Token | HclPos, reason: string): never {
    const pos = 'kind' in at ? at.pos : at;
    throw new HclSyntaxError(this.fileName, pos, reason);
  }

  /**
   * Items until `}` (when `opener` is the opening brace) or end of file (top level).
   * `objectMode` allows `key: value`, as in object values and JSON.
   */
  private parseBody(opener: { pos: HclPos; what: string } | null, objectMode: boolean): HclBody {
    const attributes: HclAttribute[] = [];
    const blocks: HclBlock[] = [];
    const pos = opener?.pos ?? { line: 1, column: 1 };
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') {
        if (opener) {
          this.fail(t, `expected '}' to close ${opener.what} opened at ${opener.pos.line}:${opener.pos.column}, found end of file`);
        }
        break;
      }
      if (this.isPunct(t, '}')) {
        if (!opener) this.fail(t, "unexpected '}'; no block is open here");
        break;
      }
      if (this.isPunct(t, ',')) {
        this.next();
        continue;
      }
      if (t.kind !== 'ident' && !(t.kind === 'string' && !t.heredoc)) {
        this.fail(t, `expected an attribute name or block type, found ${describe(t)}`);
      }
      this.next();
      const key = t.text;
      const sep = this.peek();
      if (this.isPunct(sep, '=') || (objectMode && this.isPunct(sep, ':'))) {
        this.next();
        attributes.push({ key, value: this.parseValue(), pos: t.pos });
        continue;
      }
      blocks.push(this.parseBlock(key, t.pos, objectMode));
    }
    return { attributes, blocks, pos };
  }

  private enter(at: Token): void {
    if (++this.depth > MAX_DEPTH) this.fail(at, `nesting deeper than ${MAX_DEPTH} levels`);
  }

  private parseBlock(type: string, pos: HclPos, objectMode: boolean): HclBlock {
    const labels: string[] = [];
    for (;;) {
      const t = this.peek();
      // Labels share the type's line, so a forgotten '{' is reported where it belongs.
      if ((t.kind === 'ident' || (t.kind === 'string' && !t.heredoc)) && t.pos.line === pos.line) {
        labels.push(t.text);
        this.next();
        continue;
      }
      if (this.isPunct(t, '{')) break;
      const eq = objectMode ? "'=', ':'" : "'='";
      if (labels.length === 0) this.fail(t, `expected ${eq} or '{' after "${type}", found ${describe(t)}`);
      this.fail(t, `expected '{' or another label after ${type} ${labels.map((l) => JSON.stringify(l)).join(' ')}, found ${describe(t)}`);
    }
    const open = this.next();
    this.enter(open);
    const what = `block ${[type, ...labels.map((l) => JSON.stringify(l))].join(' ')}`;
    const body = this.parseBody({ pos: open.pos, what }, false);
    this.next(); // '}'
    this.depth--;
    return { type, labels, body, pos };
  }

  private parseValue(): HclValue {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.next();
        return { kind: 'string', value: t.text, heredoc: t.heredoc, pos: t.pos };
      case 'number':
        this.next();
        return { kind: 'number', value: t.value, raw: t.text, pos: t.pos };
      case 'ident':
        if (t.text === 'true' || t.text === 'false') {
          this.next();
          return { kind: 'bool', value: t.text === 'true', pos: t.pos };
        }
        if (t.text === 'null') {
          this.next();
          return { kind: 'null', pos: t.pos };
        }
        return this.fail(t, `expected a value, found ${describe(t)} (strings must be quoted)`);
      case 'punct':
        if (t.text === '[') return this.parseList();
        if (t.text === '{') return this.parseObject();
        return this.fail(t, `expected a value, found ${describe(t)}`);
      case 'eof':
        return this.fail(t, `expected a value, found ${describe(t)}`);
    }
  }

  private parseList(): HclValue {
    const open = this.next();
    this.enter(open);
    const items: HclValue[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, ']')) break;
      if (t.kind === 'eof') this.fail(t, `expected ']' to close the list opened at ${open.pos.line}:${open.pos.column}, found end of file`);
      items.push(this.parseValue());
      const after = this.peek();
      if (this.isPunct(after, ',')) {
        this.next();
        continue;
      }
      if (!this.isPunct(after, ']')) this.fail(after, `expected ',' or ']' in list, found ${describe(after)}`);
    }
    this.next();
    this.depth--;
    return { kind: 'list', items, pos: open.pos };
  }

  private parseObject(): HclObject {
    const open = this.next();
    this.enter(open);
    const body = this.parseBody({ pos: open.pos, what: 'object' }, true);
    this.next(); // '}'
    this.depth--;
    return { kind: 'object', body, pos: open.pos };
  }
}
