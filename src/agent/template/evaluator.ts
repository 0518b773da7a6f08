// The asynchronous executor (text/template's exec.go): walks the tree, evaluates pipelines,
// fields, variables and calls with Go's rules, and awaits functions that return promises
// (secret reads), so one pass renders the template completely.
import type {
  ArgNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  ListNode,
  Node,
  PipeNode,
  Source,
  TemplateNode,
  VariableNode,
} from './ast.js';
import { location, nodeString } from './ast.js';
import type { Slot } from './arg-conversion.js';
import { idealConstant, literalArg, slot, staticTypeName, validateType } from './arg-conversion.js';
import { sprintTemplateValue } from './go-fmt.js';
import type { GoType } from './go-types.js';
import { canBeNil, typeString } from './go-types.js';
import type { GoValue } from './go-values.js';
import {
  GoChan,
  GoFunc,
  GoMap,
  GoNilPointer,
  GoSlice,
  GoStruct,
  isTrue,
  SizedInt,
  sortedKeys,
  typeOf,
  zeroValue,
} from './go-values.js';
import { ExecFailure, TemplateError } from './template-error.js';

/** Go's missingkey option: 'default' yields an invalid value, 'zero' the element's zero value. */
export type MissingKeyMode = 'default' | 'zero' | 'error';

/** Deepest {{template}} nesting, as in Go (each level is awaited, so the native stack does not grow). */
export const MAX_EXEC_DEPTH = 100000;

const MISSING = Symbol('missing');
type Final = GoValue | typeof MISSING;

/** Control flow for {{break}}; not a failure. */
class BreakSignal extends Error {}
/** Control flow for {{continue}}; not a failure. */
class ContinueSignal extends Error {}

interface Variable {
  readonly name: string;
  value: Slot;
}

type Located = Node | ArgNode | CommandNode;

export interface ExecEnv {
  readonly funcs: ReadonlyMap<string, GoFunc>;
  /** Names whose special builtin evaluation applies (and, or, call). */
  readonly builtins: ReadonlySet<string>;
  readonly templates: ReadonlyMap<string, ListNode>;
  readonly missingKey: MissingKeyMode;
}

export class Executor {
  private vars: Variable[] = [];
  private node: Located | undefined;
  private tmplName: string;
  private depth = 0;
  private out: string[] = [];

  constructor(
    private readonly env: ExecEnv,
    name: string,
  ) {
    this.tmplName = name;
  }

  /** Executes the named template with dot = data and returns its output. */
  async execute(name: string, data: GoValue): Promise<string> {
    const tree = this.env.templates.get(name);
    if (tree === undefined) throw new TemplateError('exec', name, 0, 0, `template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.tmplName)}`);
    const saved = { vars: this.vars, name: this.tmplName, depth: this.depth, out: this.out, node: this.node };
    this.vars = [{ name: '$', value: slot(data) }];
    this.tmplName = name;
    this.out = [];
    try {
      await this.walk(slot(data), tree);
      return this.out.join('');
    } finally {
      this.vars = saved.vars;
      this.tmplName = saved.name;
      this.depth = saved.depth;
      this.out = saved.out;
      this.node = saved.node;
    }
  }

  private at(node: Located): void {
    this.node = node;
  }

  private errorf(msg: string): never {
    const node = this.node;
    if (node === undefined) {
      throw new TemplateError('exec', this.tmplName, 0, 0, `template: ${this.tmplName}: ${msg}`);
    }
    const src: Source = node.src;
    const loc = location(src, node.pos);
    throw new TemplateError(
      'exec',
      this.tmplName,
      loc.line,
      loc.col,
      `template: ${loc.text}: executing ${JSON.stringify(this.tmplName)} at <${nodeString(node)}>: ${msg}`,
    );
  }

  /** Runs fn, turning ExecFailure into a located TemplateError. */
  private guard<R>(fn: () => R): R {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ExecFailure) this.errorf(e.message);
      throw e;
    }
  }

  // ---- variables

  private push(name: string, value: Slot): void {
    this.vars.push({ name, value });
  }

  private setVar(name: string, value: Slot): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v !== undefined && v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: Slot): void {
    const v = this.vars[this.vars.length - n];
    if (v !== undefined) v.value = value;
  }

  private varValue(name: string): Slot {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v !== undefined && v.name === name) return v.value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- walking

  private async walk(dot: Slot, node: Node): Promise<void> {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = await this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'comment':
        return;
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'list':
        for (const n of node.nodes) await this.walk(dot, n);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.out.push(node.text);
        return;
    }
  }

  private printValue(node: Node, v: GoValue): void {
    this.at(node);
    if (v === undefined || v === null) {
      this.out.push('<no value>');
      return;
    }
    if (v instanceof GoChan || v instanceof GoFunc) {
      this.errorf(`can't print ${nodeString(node)} of type ${typeString(typeOf(v) ?? { kind: 'interface' })}`);
    }
    this.out.push(sprintTemplateValue(v));
  }

  private async walkIfOrWith(dot: Slot, node: BranchNode): Promise<void> {
    const mark = this.vars.length;
    try {
      const val = await this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) {
        await this.walk(node.type === 'with' ? slot(val) : dot, node.list);
      } else if (node.elseList !== undefined) {
        await this.walk(dot, node.elseList);
      }
    } finally {
      this.vars.length = mark;
    }
  }

  private async walkRange(dot: Slot, r: BranchNode): Promise<void> {
    this.at(r);
    const outer = this.vars.length;
    try {
      const val = await this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const decl = r.pipe.decl;
      const one = async (index: GoValue, elem: Slot): Promise<void> => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            const first = decl[0]?.ident[0] ?? '$';
            this.setVar(first, decl.length > 1 ? slot(index) : elem);
          } else {
            this.setTopVar(1, elem);
          }
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]?.ident[0] ?? '$', elem);
          else this.setTopVar(2, slot(index));
        }
        try {
          await this.walk(elem, r.list);
        } catch (e) {
          if (!(e instanceof ContinueSignal)) throw e;
        } finally {
          this.vars.length = mark;
        }
      };
      let iterated = false;
      if (val instanceof GoSlice || val instanceof GoChan) {
        const ifaceElem = val.elem.kind === 'interface';
        for (let i = 0; i < val.items.length; i++) {
          iterated = true;
          await one(BigInt(i), slot(val.items[i], ifaceElem));
        }
      } else if (val instanceof GoMap) {
        const ifaceElem = val.elem.kind === 'interface';
        for (const k of sortedKeys(val)) {
          iterated = true;
          await one(k, slot(val.entries.get(k), ifaceElem));
        }
      } else if (typeof val === 'bigint' || val instanceof SizedInt) {
        const n = typeof val === 'bigint' ? val : val.value;
        if (decl.length > 1) this.errorf(`can't use ${sprintTemplateValue(val)} to iterate over more than one variable`);
        for (let i = 0n; i < n; i++) {
          iterated = true;
          const iv = typeof val === 'bigint' ? i : new SizedInt(val.type, i);
          await one(iv, slot(iv));
        }
      } else if (val !== undefined && val !== null && !(val instanceof GoNilPointer)) {
        this.errorf(`range can't iterate over ${sprintTemplateValue(val)}`);
      }
      if (!iterated && r.elseList !== undefined) await this.walk(dot, r.elseList);
    } catch (e) {
      if (!(e instanceof BreakSignal)) throw e;
    } finally {
      this.vars.length = outer;
    }
  }

  private async walkTemplate(dot: Slot, t: TemplateNode): Promise<void> {
    this.at(t);
    const tree = this.env.templates.get(t.name);
    if (tree === undefined) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = t.pipe === undefined ? undefined : await this.evalPipeline(dot, t.pipe);
    const saved = { vars: this.vars, name: this.tmplName };
    this.vars = [{ name: '$', value: slot(newDot) }];
    this.tmplName = t.name;
    this.depth++;
    try {
      await this.walk(slot(newDot), tree);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmplName = saved.name;
    }
  }

  // ---- pipelines and commands

  /** Evaluates a pipeline; the result is "dug out" of interface{} as Go does (nil → no value). */
  private async evalPipeline(dot: Slot, pipe: PipeNode): Promise<GoValue> {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      const s = await this.evalCommand(dot, cmd, value);
      value = s.v === null ? undefined : s.v;
    }
    const result = value === MISSING ? undefined : value;
    for (const v of pipe.decl) {
      const name = v.ident[0] ?? '$';
      if (pipe.isAssign) this.setVar(name, slot(result));
      else this.push(name, slot(result));
    }
    return result;
  }

  private notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${args[0] === undefined ? '' : nodeString(args[0])}`);
    }
  }

  private async evalCommand(dot: Slot, cmd: CommandNode, final: Final): Promise<Slot> {
    const first = cmd.args[0];
    if (first === undefined) this.errorf('empty command');
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return slot(await this.evalPipeline(dot, first));
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
      default:
        break;
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return slot(first.value);
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return slot(this.guard(() => idealConstant(first)));
      case 'string':
        return slot(first.text);
    }
  }

  private async evalFieldNode(dot: Slot, field: FieldNode, args: readonly ArgNode[], final: Final): Promise<Slot> {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private async evalChainNode(dot: Slot, chain: ChainNode, args: readonly ArgNode[], final: Final): Promise<Slot> {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const recv = await this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, slot(recv), chain, chain.field, args, final);
  }

  private async evalVariableNode(dot: Slot, v: VariableNode, args: readonly ArgNode[], final: Final): Promise<Slot> {
    this.at(v);
    const value = this.varValue(v.ident[0] ?? '$');
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private async evalFieldChain(
    dot: Slot,
    receiver: Slot,
    node: Located,
    ident: readonly string[],
    args: readonly ArgNode[],
    final: Final,
  ): Promise<Slot> {
    let r = receiver;
    for (let i = 0; i < ident.length - 1; i++) r = await this.evalField(dot, ident[i] ?? '', node, [], MISSING, r);
    return this.evalField(dot, ident[ident.length - 1] ?? '', node, args, final, r);
  }

  private async evalField(
    dot: Slot,
    name: string,
    node: Located,
    args: readonly ArgNode[],
    final: Final,
    receiver: Slot,
  ): Promise<Slot> {
    const v = receiver.v;
    if (v === undefined) {
      if (this.env.missingKey === 'error') this.errorf(`nil data; no entry for key ${JSON.stringify(name)}`);
      return slot(undefined);
    }
    const typ = staticTypeName(receiver);
    if (v === null) this.errorf(`nil pointer evaluating ${typ}.${name}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (v instanceof GoStruct) {
      const method = v.methods.get(name);
      if (method !== undefined) return this.evalCall(dot, method, false, node, name, args, final);
      const f = v.field(name);
      if (f.found) {
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return slot(f.value);
      }
    } else if (v instanceof GoMap) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      const iface = v.elem.kind === 'interface';
      if (v.entries.has(name)) return slot(v.entries.get(name), iface);
      switch (this.env.missingKey) {
        case 'default':
          return slot(undefined);
        case 'zero':
          return slot(zeroValue(v.elem), iface);
        case 'error':
          this.errorf(`map has no entry for key ${JSON.stringify(name)}`);
      }
    } else if (v instanceof GoNilPointer && v.fieldNames.includes(name)) {
      this.errorf(`nil pointer evaluating ${typ}.${name}`);
    }
    this.errorf(`can't evaluate field ${name} in type ${typ}`);
  }

  private async evalFunction(
    dot: Slot,
    node: IdentifierNode,
    cmd: Located,
    args: readonly ArgNode[],
    final: Final,
  ): Promise<Slot> {
    this.at(node);
    const fn = this.env.funcs.get(node.ident);
    if (fn === undefined) this.errorf(`${JSON.stringify(node.ident)} is not a defined function`);
    return this.evalCall(dot, fn, this.env.builtins.has(node.ident), cmd, node.ident, args, final);
  }

  /** evalCall: arity check, short-circuit and/or, argument typing, then the call itself. */
  private async evalCall(
    dot: Slot,
    fn: GoFunc,
    isBuiltin: boolean,
    node: Located,
    name: string,
    allArgs: readonly ArgNode[],
    final: Final,
  ): Promise<Slot> {
    const args = allArgs.slice(1);
    const numIn = args.length + (final === MISSING ? 0 : 1);
    let numFixed = args.length;
    if (fn.variadic !== undefined) {
      numFixed = fn.params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: GoValue = undefined;
      for (const arg of args) {
        v = await this.evalArg(dot, { kind: 'reflectValue' }, arg);
        if (isTrue(v) === (name === 'or')) return slot(v, true);
      }
      if (final !== MISSING) v = final;
      return slot(v, true);
    }

    const argv: GoValue[] = [];
    const ifaceArgs: boolean[] = [];
    const push = async (t: GoType | undefined, n: ArgNode): Promise<void> => {
      const s = await this.evalArgSlot(dot, t, n);
      argv.push(s.v);
      ifaceArgs.push(s.iface);
    };
    let i = 0;
    for (; i < numFixed && i < args.length; i++) await push(fn.params[i], args[i] as ArgNode);
    if (fn.variadic !== undefined) {
      for (; i < args.length; i++) await push(fn.variadic, args[i] as ArgNode);
    }
    if (final !== MISSING) {
      let t: GoType | undefined = fn.params[fn.params.length - 1];
      if (fn.variadic !== undefined) t = numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.variadic;
      argv.push(this.guard(() => validateType(slot(final), t)));
      ifaceArgs.push(false);
    }
    if (isBuiltin && name === 'call') {
      const callee = args.length === 0 ? sprintTemplateValue(final === MISSING ? undefined : final) : nodeString(args[0] as ArgNode);
      argv.unshift(callee);
      ifaceArgs.unshift(false);
    }
    let result: GoValue;
    try {
      result = await fn.impl(argv, ifaceArgs);
    } catch (e) {
      if (e instanceof BreakSignal || e instanceof ContinueSignal) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return slot(result, fn.result.kind === 'interface' || fn.result.kind === 'reflectValue');
  }

  private async evalArg(dot: Slot, typ: GoType | undefined, n: ArgNode): Promise<GoValue> {
    return (await this.evalArgSlot(dot, typ, n)).v;
  }

  /**
   * evalArg: computed operands must be assignable; literals are typed by the parameter. For
   * reflect.Value parameters the slot keeps whether the operand's static type is interface{}.
   */
  private async evalArgSlot(dot: Slot, typ: GoType | undefined, n: ArgNode): Promise<Slot> {
    const s = await this.evalArgRaw(dot, typ, n);
    const keepIface = typ !== undefined && typ.kind === 'reflectValue' && (n.type === 'dot' || n.type === 'field' || n.type === 'variable' || n.type === 'identifier' || n.type === 'chain');
    return keepIface ? s : slot(s.v);
  }

  private async evalArgRaw(dot: Slot, typ: GoType | undefined, n: ArgNode): Promise<Slot> {
    const typed = (s: Slot): Slot => ({ v: this.guard(() => validateType(s, typ)), iface: s.iface });
    this.at(n);
    switch (n.type) {
      case 'dot':
        return typed(dot);
      case 'nil':
        if (typ === undefined || canBeNil(typ)) return slot(typ === undefined || typ.kind === 'reflectValue' ? undefined : null);
        this.errorf(`cannot assign nil to ${typeString(typ)}`);
      case 'field':
        return typed(await this.evalFieldNode(dot, n, [n], MISSING));
      case 'variable':
        return typed(await this.evalVariableNode(dot, n, [n], MISSING));
      case 'pipe':
        return typed(slot(await this.evalPipeline(dot, n)));
      case 'identifier':
        return typed(await this.evalFunction(dot, n, n, [n], MISSING));
      case 'chain':
        return typed(await this.evalChainNode(dot, n, [n], MISSING));
      default:
        if (typ === undefined) return slot(this.guard(() => literalArg(n, { kind: 'interface' })));
        return slot(this.guard(() => literalArg(n, typ)));
    }
  }
}
