// The template engine's public door: Go text/template plus consul-template's functions, for the
// agent's file and env templates. Parse once with parseTemplate, render as often as needed with
// renderTemplate; rendering awaits secret reads and reports every Vault dependency it used.
//
//   const t = parseTemplate('{{ with secret "secret/data/app" }}{{ .Data.data.key }}{{ end }}', { name: 'app' });
//   const { output, dependencies } = await renderTemplate(t, { source });
//
// Errors are TemplateError (a CofferError, code invalid_request) with Go's message text:
// parse errors "template: NAME:LINE:COL: …", execution errors
// "template: NAME:LINE:COL: executing "NAME" at <NODE>: …" (COL is Go's 0-based byte column).
import type { Clock } from '../../shared/index.js';
import { systemClock } from '../../shared/index.js';
import type { ListNode } from './ast.js';
import { builtinFunctions, SPECIAL_BUILTINS } from './builtins.js';
import { conversionFunctions } from './consul-conversion-functions.js';
import { environmentFunctions } from './consul-environment-functions.js';
import { mathFunctions } from './consul-math-functions.js';
import { stringFunctions } from './consul-string-functions.js';
import type { MissingKeyMode } from './evaluator.js';
import { Executor } from './evaluator.js';
import { toGoValue } from './from-js.js';
import { T } from './go-types.js';
import type { GoValue } from './go-values.js';
import { GoFunc } from './go-values.js';
import { parse } from './parser.js';
import { scratchFunction } from './scratch.js';
import { FuncError } from './template-error.js';
import type { SecretDependency, TemplateDataSource } from './vault-functions.js';
import { vaultFunctions } from './vault-functions.js';

export type { MissingKeyMode } from './evaluator.js';
export type { GoType } from './go-types.js';
export type { GoResult, GoValue } from './go-values.js';
export { GoChan, GoFunc, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber, SizedInt } from './go-values.js';
export { toGoValue } from './from-js.js';
export { TemplateError, FuncError } from './template-error.js';
export type { TemplateErrorKind } from './template-error.js';
export type { SecretDependency, SecretPayload, TemplateDataSource } from './vault-functions.js';

/** Names of every function a template may call (used for Go's parse-time "not defined" check). */
function functionNames(extra: Iterable<string>): Set<string> {
  const names = new Set<string>([
    ...builtinFunctions().keys(),
    ...stringFunctions().keys(),
    ...conversionFunctions().keys(),
    ...mathFunctions().keys(),
    'env',
    'mustEnv',
    'envOrDefault',
    'file',
    'timestamp',
    'secret',
    'secrets',
    'executeTemplate',
    'scratch',
  ]);
  for (const n of extra) names.add(n);
  return names;
}

export interface ParseTemplateOptions {
  /** Template name used in error messages (consul-template uses the source path). */
  readonly name?: string;
  readonly leftDelim?: string;
  readonly rightDelim?: string;
  /** Names of extra functions that will be supplied at render time. */
  readonly extraFunctionNames?: Iterable<string>;
}

/** A parsed template: immutable, renderable any number of times. */
export interface Template {
  readonly name: string;
  readonly root: ListNode;
  readonly defines: ReadonlyMap<string, ListNode>;
}

/**
 * Parses template text. Throws TemplateError (kind 'parse') for syntax errors, undefined
 * functions or variables, and misplaced break/continue, located as name:line:col.
 */
export function parseTemplate(text: string, opts: ParseTemplateOptions = {}): Template {
  const name = opts.name ?? 'template';
  const parsed = parse(text, {
    name,
    functions: functionNames(opts.extraFunctionNames ?? []),
    ...(opts.leftDelim === undefined || opts.leftDelim === '' ? {} : { leftDelim: opts.leftDelim }),
    ...(opts.rightDelim === undefined || opts.rightDelim === '' ? {} : { rightDelim: opts.rightDelim }),
  });
  return { name, root: parsed.root, defines: parsed.defines };
}

export interface RenderOptions {
  /** Serves `secret` and `secrets`. */
  readonly source: TemplateDataSource;
  /** Root data `$` / `.`; consul-template passes nil. Plain JSON-like data or Go values. */
  readonly data?: unknown;
  /** 'zero' is consul-template's default; 'error' is error_on_missing_key; 'default' is Go's. */
  readonly missingKey?: MissingKeyMode;
  /** Runner-provided environment, consulted before lookupEnv. */
  readonly env?: Readonly<Record<string, string>>;
  /** Fallback environment lookup; defaults to process.env. */
  readonly lookupEnv?: (name: string) => string | undefined;
  /** Reads a file for `file`; defaults to an error (the agent supplies a sandboxed reader). */
  readonly readFile?: (path: string) => Promise<string>;
  /** Time source for `timestamp` and KV v2 deletion checks; defaults to the system clock. */
  readonly clock?: Clock;
  /** Functions replaced by one that fails with "function is disabled" (function_denylist). */
  readonly denyFunctions?: Iterable<string>;
  /** Extra functions (their names must also be given to parseTemplate). */
  readonly functions?: ReadonlyMap<string, GoFunc>;
}

export interface RenderResult {
  readonly output: string;
  /** Every Vault call the render made, once each, in first-use order. */
  readonly dependencies: readonly SecretDependency[];
  /** Files read through `file`. */
  readonly files: readonly string[];
}

/**
 * Executes a parsed template. Secret reads are awaited as they are reached (one pass, no
 * "missing dependency" re-runs); the same read or write is made at most once per render.
 * Rejects with TemplateError (kind 'exec') carrying Go's message.
 */
export async function renderTemplate(template: Template, opts: RenderOptions): Promise<RenderResult> {
  const dependencies: SecretDependency[] = [];
  const files: string[] = [];
  const clock = opts.clock ?? systemClock;
  const now = (): Date => new Date(clock.now());
  const runnerEnv = opts.env ?? {};
  const fallbackEnv = opts.lookupEnv ?? ((n: string): string | undefined => process.env[n]);
  const funcs = new Map<string, GoFunc>([
    ...builtinFunctions(),
    ...stringFunctions(),
    ...conversionFunctions(),
    ...mathFunctions(),
    ...environmentFunctions({
      lookupEnv: (n) => (Object.prototype.hasOwnProperty.call(runnerEnv, n) ? runnerEnv[n] : fallbackEnv(n)),
      readFile:
        opts.readFile ??
        (async (p: string): Promise<string> => {
          throw new FuncError(`file: reading ${p} is not enabled`);
        }),
      now,
      onFile: (p) => {
        if (!files.includes(p)) files.push(p);
      },
    }),
    ...vaultFunctions({ source: opts.source, now, record: (d) => dependencies.push(d) }),
    ['scratch', scratchFunction()],
  ]);
  for (const [n, f] of opts.functions ?? []) funcs.set(n, f);
  const templates = new Map(template.defines);
  templates.set(template.name, template.root);
  const exec = new Executor({ funcs, builtins: SPECIAL_BUILTINS, templates, missingKey: opts.missingKey ?? 'zero' }, template.name);
  funcs.set(
    'executeTemplate',
    new GoFunc([T.string], T.iface, T.string, (args) => {
      if (args.length > 2) {
        throw new FuncError(`executeTemplate: wrong number of arguments, expected 1 or 2, but got ${args.length}`);
      }
      const name = typeof args[0] === 'string' ? args[0] : '';
      return exec.execute(name, args.length === 2 && args[1] !== null ? args[1] : undefined);
    }),
  );
  const denied = new GoFunc([], T.string, T.string, () => {
    throw new FuncError('function is disabled');
  });
  for (const n of opts.denyFunctions ?? []) if (funcs.has(n)) funcs.set(n, denied);
  const root: GoValue = opts.data === undefined ? null : toGoValue(opts.data);
  const output = await exec.execute(template.name, root === null ? undefined : root);
  return { output, dependencies, files };
}
