// The declarative path framework: a backend is a list of paths, each with a pattern, typed
// fields, operations and an optional existence check. createBackend() turns them into the
// LogicalBackend the core mounts.

import { CofferError } from '../shared/index.js';
import type { FieldSpecs, FieldValues } from './fields.js';
import { parseFields } from './fields.js';
import type { BackendRequest, BackendResponse, LogicalBackend, LoginRenewal, LoginRenewRequest, Operation, SecretTypeHandlers, SpecialPaths } from './request.js';

/** The rejection an async function would produce for a caught error (non-Errors get wrapped). */
const rejection = (e: unknown): Promise<never> => Promise.reject(e instanceof Error ? e : new Error(String(e)));

/** A request after routing and field parsing. */
export interface PathRequest<F extends FieldSpecs> extends BackendRequest {
  /** Named pattern segments (":name", "*rest"). */
  params: Readonly<Record<string, string>>;
  fields: FieldValues<F>;
  /** Whether the caller sent this field (as opposed to it taking its default). */
  has(field: keyof F & string): boolean;
}

export type PathHandler<F extends FieldSpecs> = (req: PathRequest<F>) => Promise<BackendResponse>;

export interface PathDefinition<F extends FieldSpecs> {
  /**
   * Pattern: literal segments, ":name" (one segment), "*name" (the rest, at least one char),
   * "*name?" (the rest, possibly empty). A trailing "/?" makes a final '/' optional.
   */
  pattern: string;
  fields?: F;
  /** Accept arbitrary request data (no unknown-field warnings); handlers read `req.data`. */
  anyData?: boolean;
  /** Decides create vs update for writes; without it every write is an update. */
  exists?: (req: PathRequest<F>) => Promise<boolean>;
  operations: Partial<Record<Operation, PathHandler<F>>>;
  help?: string;
}

interface CompiledPath {
  regex: RegExp;
  run(req: BackendRequest, match: RegExpExecArray): Promise<BackendResponse>;
  exists(req: BackendRequest, match: RegExpExecArray): Promise<boolean | undefined>;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles the mini pattern syntax into an anchored RegExp. Captures are positional (named groups
 * are slow to materialise on every match); `names[i]` is the name of capture i + 1.
 */
export function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
  let optionalSlash = false;
  let p = pattern;
  if (p.endsWith('/?')) {
    optionalSlash = true;
    p = p.slice(0, -2);
  }
  const names: string[] = [];
  const parts = p === '' ? [] : p.split('/');
  const re = parts
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      if (seg.startsWith('*') && seg.endsWith('?')) {
        names.push(seg.slice(1, -1));
        return '(.*)';
      }
      if (seg.startsWith('*')) {
        names.push(seg.slice(1));
        return '(.+)';
      }
      return escapeRe(seg);
    })
    .join('/');
  return { regex: new RegExp(`^${re}${optionalSlash ? '/?' : ''}$`), names };
}

const hasNone = (): boolean => false;
const NONE: readonly string[] = Object.freeze([]);

/** Declares one path; the generic keeps handler field types exact. */
export function definePath<F extends FieldSpecs = Record<never, never>>(def: PathDefinition<F>): CompiledPath {
  const { regex, names } = compilePattern(def.pattern);
  const specs = (def.fields ?? {}) as F;
  // Pass-through paths (e.g. KV data) skip field parsing entirely on the hot path.
  const noFields = Object.keys(specs).length === 0 && def.anyData === true;
  // The request object is built field by field (no spreads) so every PathRequest has one
  // shape; building it showed up on the hot path.
  const make = (req: BackendRequest, params: Record<string, string>, fields: FieldValues<F>, has: (f: keyof F & string) => boolean): PathRequest<F> => ({
    operation: req.operation,
    path: req.path,
    data: req.data,
    storage: req.storage,
    mountPath: req.mountPath,
    caller: req.caller,
    remoteAddress: req.remoteAddress,
    requestId: req.requestId,
    params,
    fields,
    has,
  });
  const build = (req: BackendRequest, match: RegExpExecArray): { preq: PathRequest<F>; unknown: readonly string[] } => {
    const params: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) params[names[i] ?? ''] = match[i + 1] ?? '';
    if (noFields) return { preq: make(req, params, {} as FieldValues<F>, hasNone), unknown: NONE };
    const { values, present, unknown } = parseFields(specs, req.data);
    return { preq: make(req, params, values, (f) => present.has(f)), unknown };
  };
  return {
    regex,
    // Not async: when there is nothing to add to the response, the handler's own promise is
    // returned as is (one promise and its hops fewer per request). Throws become rejections.
    run(req, match) {
      try {
        let handler = def.operations[req.operation];
        if (handler === undefined && req.operation === 'create') handler = def.operations.update;
        if (handler === undefined) throw new CofferError('unsupported_operation', 'unsupported operation');
        const { preq, unknown } = build(req, match);
        if (def.anyData || unknown.length === 0) return handler(preq);
        const warning = `Endpoint ignored these unrecognized parameters: [${unknown.join(' ')}]`;
        return handler(preq).then((res) => ({ ...res, warnings: [...(res.warnings ?? []), warning] }));
      } catch (e: unknown) {
        return rejection(e);
      }
    },
    async exists(req, match) {
      if (def.exists === undefined) return undefined;
      return def.exists(build(req, match).preq);
    },
  };
}

export interface BackendDefinition {
  paths: readonly CompiledPath[];
  /** Leased secret types: how the core revokes (and renews) what this backend hands out. */
  secretTypes?: Readonly<Record<string, SecretTypeHandlers>>;
  specialPaths?: Partial<SpecialPaths>;
  cleanup?: () => Promise<void>;
  /** Auth methods: see LogicalBackend.renewLogin. */
  renewLogin?: (req: LoginRenewRequest) => Promise<LoginRenewal>;
}

/** Builds a LogicalBackend from declared paths; the first matching pattern wins. */
export function createBackend(def: BackendDefinition): LogicalBackend {
  const route = (path: string): [CompiledPath, RegExpExecArray] => {
    for (const p of def.paths) {
      const m = p.regex.exec(path);
      if (m) return [p, m];
    }
    throw new CofferError('unsupported_path', 'unsupported path');
  };
  return {
    specialPaths: { unauthenticated: def.specialPaths?.unauthenticated ?? [], root: def.specialPaths?.root ?? [] },
    handleRequest(req) {
      const [p, m] = route(req.path);
      return p.run(req, m);
    },
    async existenceCheck(req) {
      const [p, m] = route(req.path);
      return p.exists(req, m);
    },
    ...(def.cleanup ? { cleanup: def.cleanup } : {}),
    ...(def.secretTypes ? { secretTypes: def.secretTypes } : {}),
    ...(def.renewLogin ? { renewLogin: def.renewLogin } : {}),
  };
}
