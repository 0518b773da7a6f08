// The template runner: renders every template through a TemplateRenderer, fetching what the
// templates read from Vault (one cached fetch per distinct secret), writes each destination
// atomically only when its content changed (then runs its command), and keeps every secret
// fresh per planRefresh — renewing leases, re-fetching and re-rendering when they change.

import { readFile } from 'node:fs/promises';
import type { Logger } from '../../shared/index.js';
import { backupFile, writeFileAtomic } from '../atomic-file.js';
import { resolveOwner } from '../file-owner.js';
import { createBackoff } from '../backoff.js';
import type { Backoff } from '../backoff.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { VaultConnection } from '../vault-connection.js';
import { vaultCall } from '../vault-connection.js';
import { dependencyKey, describeDependency, fetchDependency, NoSecretError } from './fetch-dependency.js';
import type { DependencySpec, FetchedDependency } from './fetch-dependency.js';
import { resolveKvV2Path } from './kv-v2-path.js';
import { planRefresh } from './refresh-plan.js';
import type { LeaseFacts, RefreshSettings } from './refresh-plan.js';
import type { TemplateDataSource, TemplateRenderer } from './renderer.js';
import { runCommand as defaultRunCommand } from './run-command.js';
import type { CommandRunner } from './run-command.js';

/** One template to keep rendered: a file template (with destination) or an env template (without). */
export interface RunnerTemplate {
  /** Unique: the destination, or the env var name. */
  id: string;
  contents?: string;
  /** Template file, read at each render. */
  source?: string;
  destination?: string;
  perms?: number;
  createDestDirs: boolean;
  /** Copy the file being replaced to `<destination>.bak` first (consul-template's `backup`). */
  backup?: boolean;
  /** Quiescence: write a changed output once no change came for minMs, at the latest maxMs after the first. */
  wait?: { minMs: number; maxMs: number };
  /** Owner and group of the destination (names or numeric ids). */
  user?: string;
  group?: string;
  /** The `file` function reads only inside this directory. */
  sandboxPath?: string;
  command?: string | string[];
  commandTimeoutMs: number;
  errorOnMissingKey: boolean;
  leftDelimiter: string;
  rightDelimiter: string;
}

export interface TemplateRunnerOptions {
  templates: readonly RunnerTemplate[];
  renderer: TemplateRenderer;
  conn: VaultConnection;
  /** The current auto-auth token (undefined without auto-auth: requests go without a token). */
  token: () => string | undefined;
  timers: Timers;
  logger: Logger;
  settings: RefreshSettings;
  exitOnRetryFailure: boolean;
  /** Failed attempts tolerated in a row before exit_on_retry_failure makes the runner fatal. */
  numRetries: number;
  env?: Readonly<Record<string, string | undefined>>;
  random?: () => number;
  runCommand?: CommandRunner;
  /** Retry backoff bounds (consul-template: 250 ms doubling to 1 m). */
  retryMinMs?: number;
  retryMaxMs?: number;
}

export interface TemplateRunner {
  /** Renders every template and keeps them fresh. */
  start(): void;
  /** A new auto-auth token: forgets every fetched secret and renders everything again. */
  restart(): void;
  stop(): void;
  /** Resolves once every template has rendered successfully at least once. */
  readonly rendered: Promise<void>;
  /** Resolves with the error when exit_on_retry_failure gives up; never resolves otherwise. */
  readonly fatal: Promise<Error>;
  /** The last successful output of each template, by id. */
  outputs(): ReadonlyMap<string, string>;
  /** Called after a successful render whose output differs from the template's previous output. */
  onChange(listener: (id: string, output: string) => void): void;
  /** For tests and logs: the cached dependencies and their next refresh. */
  dependencies(): { key: string; description: string; next?: string; users: string[] }[];
}

interface Entry {
  spec: DependencySpec;
  fetched?: FetchedDependency;
  inflight?: Promise<FetchedDependency> | undefined;
  users: Set<string>;
  /** The path actually requested (KV v2 `data/` inserted); set on the first fetch. */
  apiPath?: string;
  timer?: TimerHandle | undefined;
  next?: string;
  retry: Backoff;
}

interface TemplateState {
  tpl: RunnerTemplate;
  deps: Set<string>;
  rendering: boolean;
  pending: boolean;
  output?: string;
  /** What the destination holds as far as we know (undefined until the first render). */
  written?: string | undefined;
  retry: Backoff;
  timer?: TimerHandle | undefined;
  /** With `wait`: the newest output not yet written, and the quiescence timers. */
  latest?: string | undefined;
  waitMin?: TimerHandle | undefined;
  waitMax?: TimerHandle | undefined;
}

/** How messages name a template: its destination, or `env_template "NAME"`. */
const templateName = (tpl: RunnerTemplate): string => tpl.destination ?? `env_template "${tpl.id}"`;

export function createTemplateRunner(opts: TemplateRunnerOptions): TemplateRunner {
  const random = opts.random ?? Math.random;
  const run = opts.runCommand ?? defaultRunCommand;
  const log = opts.logger.child({ component: 'template.runner' });
  const env = opts.env ?? process.env;
  const entries = new Map<string, Entry>();
  const states = new Map<string, TemplateState>();
  const outputs = new Map<string, string>();
  const changeListeners: ((id: string, output: string) => void)[] = [];
  const newBackoff = (): Backoff => createBackoff(opts.retryMinMs ?? 250, opts.retryMaxMs ?? 60_000, random);
  for (const tpl of opts.templates) states.set(tpl.id, { tpl, deps: new Set(), rendering: false, pending: false, retry: newBackoff() });

  let epoch = 0;
  let stopped = false;
  const firstDone = new Set<string>();
  let resolveRendered!: () => void;
  const rendered = new Promise<void>((r) => (resolveRendered = r));
  if (states.size === 0) resolveRendered();
  let resolveFatal!: (e: Error) => void;
  const fatal = new Promise<Error>((r) => (resolveFatal = r));

  const fail = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

  function giveUp(err: Error): void {
    log.error({ error: err.message }, 'template rendering failed after all retries; exit_on_retry_failure is set');
    resolveFatal(err);
  }

  function dropEntry(key: string): void {
    const e = entries.get(key);
    if (e?.timer !== undefined) opts.timers.clearTimeout(e.timer);
    entries.delete(key);
  }

  function clearAll(): void {
    for (const key of [...entries.keys()]) dropEntry(key);
    for (const st of states.values()) {
      if (st.timer !== undefined) opts.timers.clearTimeout(st.timer);
      st.timer = undefined;
      clearWait(st);
      st.deps.clear();
      st.retry.reset();
    }
  }

  // ---- fetching and refreshing dependencies ----

  function get(spec: DependencySpec, used: Set<string>, user: string, ep: number): Promise<FetchedDependency> {
    const key = dependencyKey(spec);
    used.add(key);
    let e = entries.get(key);
    if (e === undefined) {
      e = { spec, users: new Set(), retry: newBackoff() };
      entries.set(key, e);
    }
    e.users.add(user);
    if (e.fetched !== undefined) return Promise.resolve(e.fetched);
    if (e.inflight !== undefined) return e.inflight;
    const entry = e;
    entry.inflight = fetchFresh(entry).then(
      (f) => {
        entry.inflight = undefined;
        if (ep === epoch && entries.get(key) === entry) {
          entry.fetched = f;
          schedule(key, entry, f.facts);
        }
        return f;
      },
      (err: unknown) => {
        entry.inflight = undefined;
        if (entries.get(key) === entry && entry.fetched === undefined) entries.delete(key);
        throw err;
      },
    );
    return entry.inflight;
  }

  /** Fetches an entry, resolving KV v2 addressing the first time (consul-template probes once per dependency). */
  async function fetchFresh(e: Entry): Promise<FetchedDependency> {
    const token = opts.token();
    if (e.apiPath === undefined) e.apiPath = e.spec.kind === 'write' ? e.spec.path : await resolveKvV2Path(opts.conn, token, e.spec.kind, e.spec.path);
    return fetchDependency(opts.conn, token, { ...e.spec, path: e.apiPath });
  }

  function schedule(key: string, e: Entry, facts: LeaseFacts): void {
    if (e.timer !== undefined) opts.timers.clearTimeout(e.timer);
    const plan = planRefresh(facts, opts.settings, random);
    const ep = epoch;
    e.next = plan.action === 'renew' ? `renew in ${plan.delayMs}ms` : `refetch in ${plan.delayMs}ms (${plan.reason})`;
    log.debug({ dependency: describeDependency(e.spec), next: e.next }, 'dependency refresh scheduled');
    e.timer = opts.timers.setTimeout(() => {
      e.timer = undefined;
      if (ep !== epoch || entries.get(key) !== e) return;
      if (plan.action === 'renew') void renew(key, e, facts, plan.incrementSeconds);
      else void refetch(key, e);
    }, plan.delayMs);
  }

  async function renew(key: string, e: Entry, facts: LeaseFacts, increment: number): Promise<void> {
    const ep = epoch;
    const body = e.fetched?.secret?.body;
    const auth = body !== undefined ? body['auth'] : undefined;
    const clientToken = typeof auth === 'object' && auth !== null && !Array.isArray(auth) && typeof (auth as Record<string, unknown>)['client_token'] === 'string' ? ((auth as Record<string, unknown>)['client_token'] as string) : undefined;
    try {
      let ttl: number;
      let renewable: boolean;
      if (clientToken !== undefined) {
        const res = await vaultCall(opts.conn, 'PUT', 'auth/token/renew-self', { token: clientToken, body: { increment } });
        const a = (res['auth'] ?? {}) as Record<string, unknown>;
        ttl = typeof a['lease_duration'] === 'number' ? a['lease_duration'] : 0;
        renewable = a['renewable'] === true;
      } else {
        const token = opts.token();
        const res = await vaultCall(opts.conn, 'PUT', 'sys/leases/renew', { ...(token !== undefined ? { token } : {}), body: { lease_id: facts.leaseId, increment } });
        ttl = typeof res['lease_duration'] === 'number' ? res['lease_duration'] : 0;
        renewable = res['renewable'] === true;
      }
      if (ep !== epoch || entries.get(key) !== e) return;
      log.debug({ dependency: describeDependency(e.spec), ttl }, 'lease renewed');
      schedule(key, e, { ...facts, leaseDurationSeconds: ttl, renewable, requestedIncrementSeconds: increment });
    } catch (err) {
      if (ep !== epoch || entries.get(key) !== e) return;
      log.warn({ dependency: describeDependency(e.spec), error: fail(err).message }, 'lease renewal failed; fetching the secret again');
      await refetch(key, e);
    }
  }

  async function refetch(key: string, e: Entry): Promise<void> {
    const ep = epoch;
    let f: FetchedDependency;
    try {
      f = await fetchFresh(e);
    } catch (err) {
      if (ep !== epoch || entries.get(key) !== e) return;
      const error = fail(err);
      const delayMs = e.retry.next();
      log.error({ dependency: describeDependency(e.spec), error: error.message, retryInMs: delayMs }, 'error fetching secret');
      if (opts.exitOnRetryFailure && e.retry.failures > opts.numRetries) return giveUp(error);
      e.next = `retry in ${delayMs}ms`;
      e.timer = opts.timers.setTimeout(() => {
        e.timer = undefined;
        if (ep === epoch && entries.get(key) === e) void refetch(key, e);
      }, delayMs);
      return;
    }
    if (ep !== epoch || entries.get(key) !== e) return;
    e.retry.reset();
    e.fetched = f;
    schedule(key, e, f.facts);
    for (const id of e.users) void renderTemplate(id);
  }

  // ---- rendering ----

  function sourceFor(user: string, used: Set<string>, ep: number): TemplateDataSource {
    return {
      async secret(path, writeArgs) {
        const spec: DependencySpec = writeArgs !== undefined && writeArgs.length > 0 ? { kind: 'write', path, args: [...writeArgs] } : { kind: 'read', path, args: [] };
        const f = await get(spec, used, user, ep);
        if (f.secret === undefined) throw new NoSecretError(path);
        return f.secret;
      },
      async list(path) {
        const f = await get({ kind: 'list', path, args: [] }, used, user, ep);
        return f.keys ?? [];
      },
    };
  }

  async function renderTemplate(id: string): Promise<void> {
    const st = states.get(id);
    if (st === undefined || stopped) return;
    if (st.rendering) {
      st.pending = true;
      return;
    }
    st.rendering = true;
    const ep = epoch;
    const tpl = st.tpl;
    const name = templateName(tpl);
    try {
      const used = new Set<string>();
      const text = tpl.contents ?? (await readFile(tpl.source ?? '', 'utf8'));
      const output = await opts.renderer.render(
        text,
        { name, leftDelim: tpl.leftDelimiter, rightDelim: tpl.rightDelimiter, missingKey: tpl.errorOnMissingKey ? 'error' : 'zero', env, ...(tpl.sandboxPath !== undefined ? { sandboxPath: tpl.sandboxPath } : {}) },
        sourceFor(id, used, ep),
      );
      if (ep !== epoch) return;
      for (const key of st.deps) {
        if (used.has(key)) continue;
        const e = entries.get(key);
        e?.users.delete(id);
        if (e !== undefined && e.users.size === 0) dropEntry(key);
      }
      st.deps = used;
      st.retry.reset();
      // With `wait`, a changed output goes through quiescence; while one is pending, only a
      // further change restarts it (a re-read that brings nothing new does not).
      const quiescing = st.waitMin !== undefined;
      if (tpl.wait === undefined || (!quiescing && output === st.output)) await settle(st, output);
      else if (!quiescing || output !== st.latest) quiesce(st, tpl.wait, output, ep);
    } catch (err) {
      if (ep !== epoch || stopped) return;
      retryRender(st, ep, err, 'error rendering template');
    } finally {
      st.rendering = false;
      if (st.pending) {
        st.pending = false;
        void renderTemplate(id);
      }
    }
  }

  /**
   * A render or its write failed: logs it, gives up under exit_on_retry_failure once the retries
   * are spent, and otherwise renders again after the template's backoff.
   */
  function retryRender(st: TemplateState, ep: number, err: unknown, what: string): void {
    const name = templateName(st.tpl);
    const error = fail(err);
    const delayMs = st.retry.next();
    log.error({ template: name, error: error.message, retryInMs: delayMs }, what);
    if (opts.exitOnRetryFailure && st.retry.failures > opts.numRetries) return giveUp(new Error(`${name}: ${error.message}`));
    if (st.timer !== undefined) opts.timers.clearTimeout(st.timer);
    st.timer = opts.timers.setTimeout(() => {
      st.timer = undefined;
      if (ep === epoch) void renderTemplate(st.tpl.id);
    }, delayMs);
  }

  /** Commits a rendered output and counts the template as rendered. */
  async function settle(st: TemplateState, output: string): Promise<void> {
    await commit(st, output);
    if (!firstDone.has(st.tpl.id)) {
      firstDone.add(st.tpl.id);
      log.info({ template: templateName(st.tpl) }, 'template rendered');
      if (firstDone.size === states.size) resolveRendered();
    }
  }

  function clearWait(st: TemplateState): void {
    if (st.waitMin !== undefined) opts.timers.clearTimeout(st.waitMin);
    if (st.waitMax !== undefined) opts.timers.clearTimeout(st.waitMax);
    st.waitMin = undefined;
    st.waitMax = undefined;
    st.latest = undefined;
  }

  /**
   * consul-template's quiescence: each new output restarts the `min` timer; the `max` timer,
   * started by the first unwritten output, bounds the delay. Whichever fires writes the newest.
   */
  function quiesce(st: TemplateState, wait: { minMs: number; maxMs: number }, output: string, ep: number): void {
    st.latest = output;
    const fire = (): void => {
      const latest = st.latest;
      clearWait(st);
      if (ep !== epoch || stopped || latest === undefined) return;
      settle(st, latest).catch((err: unknown) => {
        if (ep === epoch && !stopped) retryRender(st, ep, err, 'error writing template');
      });
    };
    if (st.waitMin !== undefined) opts.timers.clearTimeout(st.waitMin);
    st.waitMin = opts.timers.setTimeout(fire, wait.minMs);
    st.waitMax ??= opts.timers.setTimeout(fire, wait.maxMs);
  }

  /** Records the output; writes the destination and runs the command only when the content changed. */
  async function commit(st: TemplateState, output: string): Promise<void> {
    const tpl = st.tpl;
    const previous = st.output;
    st.output = output;
    outputs.set(tpl.id, output);
    if (tpl.destination !== undefined) {
      if (st.written === undefined) st.written = await readFile(tpl.destination, 'utf8').catch(() => undefined);
      if (st.written !== output) {
        if (tpl.backup === true && st.written !== undefined) await backupFile(tpl.destination);
        const owner = tpl.user !== undefined || tpl.group !== undefined ? { owner: await resolveOwner(tpl.user, tpl.group) } : {};
        await writeFileAtomic(tpl.destination, output, { ...(tpl.perms !== undefined ? { mode: tpl.perms } : {}), defaultMode: 0o644, createDirs: tpl.createDestDirs, ...owner });
        st.written = output;
        log.info({ destination: tpl.destination }, 'rendered template written');
        if (tpl.command !== undefined) {
          const r = await run(tpl.command, tpl.commandTimeoutMs);
          if (r.error !== undefined || r.code !== 0) log.error({ destination: tpl.destination, code: r.code, error: r.error }, 'template command failed');
        }
      }
    }
    if (previous !== undefined && previous !== output) for (const l of changeListeners) l(tpl.id, output);
  }

  return {
    start() {
      stopped = false;
      for (const id of states.keys()) void renderTemplate(id);
    },
    restart() {
      epoch++;
      clearAll();
      for (const st of states.values()) st.rendering = false;
      for (const id of states.keys()) void renderTemplate(id);
    },
    stop() {
      stopped = true;
      epoch++;
      clearAll();
    },
    rendered,
    fatal,
    outputs: () => outputs,
    onChange(l) {
      changeListeners.push(l);
    },
    dependencies: () =>
      [...entries.entries()].map(([key, e]) => ({ key, description: describeDependency(e.spec), ...(e.next !== undefined ? { next: e.next } : {}), users: [...e.users] })),
  };
}
