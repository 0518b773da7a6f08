// The template parser (text/template/parse): actions, pipelines, declarations, control
// structures with else-if/else-with chains, define/template/block, and parse-time checks
// (undefined functions and variables, break outside range) reported as name:line:col.
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  ListNode,
  Node,
  PipeNode,
  Source,
  TemplateNode,
  VariableNode,
} from './ast.js';
import { location, nodeString } from './ast.js';
import { unquote, UnquoteError } from './go-quote.js';
import type { Item, ItemType } from './lexer.js';
import { itemString, lex } from './lexer.js';
import { analyzeNumber, NumberSyntaxError } from './number-literal.js';
import { TemplateError } from './template-error.js';

export interface ParsedTemplates {
  /** The main template's body. */
  readonly root: ListNode;
  /** Trees created by define and block, by name. */
  readonly defines: ReadonlyMap<string, ListNode>;
}

export interface ParseOptions {
  readonly name: string;
  readonly leftDelim?: string;
  readonly rightDelim?: string;
  /** Function names the template may call (checked at parse time, as Go does). */
  readonly functions: ReadonlySet<string>;
}

type ElseOrEnd = { kind: 'end'; pos: number } | { kind: 'else'; pos: number };

class Parser {
  private i = 0;
  private latest = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  readonly defines = new Map<string, ListNode>();
  readonly src: Source;

  constructor(
    private readonly items: readonly Item[],
    text: string,
    private readonly opts: ParseOptions,
  ) {
    this.src = { parseName: opts.name, text };
  }

  private item(k: number): Item {
    const it = this.items[Math.min(k, this.items.length - 1)];
    if (it === undefined) throw new Error('lexer produced no items');
    return it;
  }

  private next(): Item {
    const k = Math.min(this.i, this.items.length - 1);
    const it = this.item(k);
    this.latest = Math.max(this.latest, k);
    if (this.i < this.items.length - 1) this.i++;
    if (it.type === 'error') this.errorf(it.val);
    return it;
  }

  private backup(n = 1): void {
    this.i -= n;
  }

  private peek(): Item {
    const it = this.next();
    this.backup();
    return it;
  }

  private nextNonSpace(): Item {
    let it = this.next();
    while (it.type === 'space') it = this.next();
    return it;
  }

  private peekNonSpace(): Item {
    const it = this.nextNonSpace();
    this.backup();
    return it;
  }

  errorf(msg: string): never {
    const tok = this.item(this.latest);
    const loc = location(this.src, tok.pos);
    throw new TemplateError('parse', this.opts.name, tok.line, loc.col, `template: ${this.opts.name}:${tok.line}:${loc.col}: ${msg}`);
  }

  private unexpected(it: Item, context: string): never {
    if (it.type === 'error') this.errorf(it.val);
    this.errorf(`unexpected ${itemString(it)} in ${context}`);
  }

  private expect(type: ItemType, context: string): Item {
    const it = this.nextNonSpace();
    if (it.type !== type) this.unexpected(it, context);
    return it;
  }

  parse(): ListNode {
    const root: ListNode = { type: 'list', pos: this.peek().pos, src: this.src, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const save = this.i;
        this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if ('kind' in n) this.errorf(`unexpected {{${n.kind}}}`);
      root.nodes.push(n);
    }
    return root;
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, context);
    const name = this.unquote(nameTok.val);
    this.expect('rightDelim', context);
    const savedVars = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.errorf(`unexpected {{${end.kind}}} in ${context}`);
    this.vars = savedVars;
    this.addTree(name, list);
  }

  private addTree(name: string, list: ListNode): void {
    const existing = this.defines.get(name);
    if (existing === undefined || isEmptyTree(existing)) {
      this.defines.set(name, list);
      return;
    }
    if (!isEmptyTree(list)) this.errorf(`template: multiple definition of template ${JSON.stringify(name)}`);
  }

  private unquote(lit: string): string {
    try {
      return unquote(lit);
    } catch (e) {
      if (e instanceof UnquoteError) this.errorf(e.message);
      throw e;
    }
  }

  private itemList(): [ListNode, ElseOrEnd] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, src: this.src, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if ('kind' in n) return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | ElseOrEnd {
    const it = this.nextNonSpace();
    switch (it.type) {
      case 'text':
        return { type: 'text', pos: it.pos, src: this.src, text: it.val };
      case 'leftDelim':
        return this.action();
      case 'comment':
        return { type: 'comment', pos: it.pos, src: this.src, text: it.val };
      default:
        this.unexpected(it, 'input');
    }
  }

  private action(): Node | ElseOrEnd {
    const tok = this.nextNonSpace();
    switch (tok.type) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue':
        return this.breakControl(tok);
      case 'else':
        return this.elseControl();
      case 'end': {
        const t = this.expect('rightDelim', 'end');
        return { kind: 'end', pos: t.pos };
      }
      case 'if':
        return this.branch('if');
      case 'range':
        return this.branch('range');
      case 'template':
        return this.templateControl();
      case 'with':
        return this.branch('with');
      default:
        break;
    }
    this.backup();
    const at = this.peek();
    return { type: 'action', pos: at.pos, src: this.src, pipe: this.pipeline('command', 'rightDelim') };
  }

  private breakControl(tok: Item): Node {
    const kw = tok.type as 'break' | 'continue';
    const next = this.nextNonSpace();
    if (next.type !== 'rightDelim') this.unexpected(next, `{{${kw}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kw}}} outside {{range}}`);
    return { type: kw, pos: tok.pos, src: this.src };
  }

  private elseControl(): ElseOrEnd {
    const peek = this.peekNonSpace();
    if (peek.type === 'if' || peek.type === 'with') return { kind: 'else', pos: peek.pos };
    const t = this.expect('rightDelim', 'else');
    return { kind: 'else', pos: t.pos };
  }

  private branch(context: 'if' | 'with' | 'range'): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(context, 'rightDelim');
    if (context === 'range') this.rangeDepth++;
    const [list, next] = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: ListNode | undefined;
    if (next.kind === 'else') {
      const p = this.peekNonSpace();
      if ((context === 'if' && p.type === 'if') || (context === 'with' && p.type === 'with')) {
        this.nextNonSpace();
        elseList = { type: 'list', pos: next.pos, src: this.src, nodes: [this.branch(context)] };
      } else {
        const [els, end] = this.itemList();
        if (end.kind !== 'end') this.errorf(`expected end; found {{else}}`);
        elseList = els;
      }
    }
    this.vars.length = mark;
    return { type: context, pos: pipe.pos, src: this.src, pipe, list, elseList };
  }

  private templateName(tok: Item, context: string): string {
    if (tok.type !== 'string' && tok.type !== 'rawString') this.unexpected(tok, context);
    return this.unquote(tok.val);
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const tok = this.nextNonSpace();
    const name = this.templateName(tok, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: tok.pos, src: this.src, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const tok = this.nextNonSpace();
    const name = this.templateName(tok, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const savedVars = this.vars;
    const savedDepth = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.errorf(`unexpected {{${end.kind}}} in ${context}`);
    this.vars = savedVars;
    this.rangeDepth = savedDepth;
    this.addTree(name, list);
    return { type: 'template', pos: tok.pos, src: this.src, name, pipe };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const first = this.peekNonSpace();
    const decl: VariableNode[] = [];
    let isAssign = false;
    for (;;) {
      const save = this.i;
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        isAssign = next.type === 'assign';
        this.nextNonSpace();
        decl.push({ type: 'variable', pos: v.pos, src: this.src, ident: [v.val] });
        this.vars.push(v.val);
        break;
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        decl.push({ type: 'variable', pos: v.pos, src: this.src, ident: [v.val] });
        this.vars.push(v.val);
        if (context === 'range' && decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      // Not a declaration: the variable is an operand of the first command.
      this.i = save;
      break;
    }
    const pipe: PipeNode = { type: 'pipe', pos: first.pos, src: this.src, isAssign, decl, cmds: [] };
    for (;;) {
      const tok = this.nextNonSpace();
      if (tok.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (tok.type) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(tok, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, k) => {
      const t = c.args[0]?.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${k + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, src: this.src, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) cmd.args.push(operand);
      const tok = this.next();
      if (tok.type === 'space') continue;
      if (tok.type === 'rightDelim' || tok.type === 'rightParen') {
        this.backup();
      } else if (tok.type !== 'pipe') {
        this.unexpected(tok, 'operand');
      }
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().type !== 'field') return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos: chainPos, src: this.src, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos: chainPos, src: this.src, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
      default:
        return { type: 'chain', pos: chainPos, src: this.src, node, field: fields };
    }
  }

  private term(): ArgNode | undefined {
    const tok = this.nextNonSpace();
    switch (tok.type) {
      case 'identifier':
        if (!this.opts.functions.has(tok.val)) this.errorf(`function ${JSON.stringify(tok.val)} not defined`);
        return { type: 'identifier', pos: tok.pos, src: this.src, ident: tok.val };
      case 'dot':
        return { type: 'dot', pos: tok.pos, src: this.src };
      case 'nil':
        return { type: 'nil', pos: tok.pos, src: this.src };
      case 'variable': {
        const parts = tok.val.split('.');
        const name = parts[0] ?? '$';
        if (!this.vars.includes(name)) this.errorf(`undefined variable ${JSON.stringify(name)}`);
        return { type: 'variable', pos: tok.pos, src: this.src, ident: parts };
      }
      case 'field':
        return { type: 'field', pos: tok.pos, src: this.src, ident: [tok.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: tok.pos, src: this.src, value: tok.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        try {
          return { type: 'number', pos: tok.pos, src: this.src, info: analyzeNumber(tok.val, tok.type) };
        } catch (e) {
          if (e instanceof NumberSyntaxError) this.errorf(e.message);
          throw e;
        }
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { type: 'string', pos: tok.pos, src: this.src, quoted: tok.val, text: this.unquote(tok.val) };
      default:
        this.backup();
        return undefined;
    }
  }
}

function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((n) => (n.type === 'text' && n.text.trim() === '') || n.type === 'comment');
}

/** Parses template text; throws TemplateError (kind 'parse') with Go's message and a location. */
export function parse(text: string, opts: ParseOptions): ParsedTemplates {
  const items = lex(text, opts.leftDelim, opts.rightDelim);
  const p = new Parser(items, text, opts);
  const root = p.parse();
  return { root, defines: p.defines };
}
