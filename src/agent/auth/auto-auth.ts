// The auto-auth loop: log in (retrying with backoff), write the token to every sink, keep it
// alive with auth/token/renew-self at ~2/3 of its TTL, and log in again when it can no longer
// be renewed (not renewable, max TTL reached, renewal failed).

import type { Logger } from '../../shared/index.js';
import { createBackoff } from '../backoff.js';
import { refetchDelayMs, renewDelayMs } from '../lease-timing.js';
import type { Sink } from '../sink/file-sink.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { VaultConnection } from '../vault-connection.js';
import { vaultCall } from '../vault-connection.js';
import type { AuthMethod, AuthResult } from './auth-method.js';
import { isObject, numberOf } from './auth-method.js';

export interface AutoAuthOptions {
  method: AuthMethod;
  conn: VaultConnection;
  sinks: readonly Sink[];
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Give up (fatal) on the first failed login instead of retrying forever. */
  exitOnErr: boolean;
  timers: Timers;
  logger: Logger;
  /** [0,1) jitter source; Math.random by default. */
  random?: () => number;
}

/** What the loop is waiting for; exposed for tests and logs. */
export type AutoAuthState =
  | { kind: 'idle' }
  | { kind: 'authenticating' }
  | { kind: 'backoff'; delayMs: number }
  | { kind: 'renew-scheduled'; delayMs: number }
  | { kind: 'reauth-scheduled'; delayMs: number }
  | { kind: 'holding' }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: Error };

export interface AutoAuth {
  start(): void;
  /** Cancels timers; later responses are ignored. */
  stop(): void;
  /** The current token, once a login succeeded. */
  token(): string | undefined;
  state(): AutoAuthState;
  /** Called after each new token was written to the sinks (not after renewals). */
  onToken(listener: (token: string) => void): void;
  /** Resolves with the first token after it was written to every sink; rejects if the loop fails first. */
  readonly ready: Promise<string>;
  /** Resolves with the error when the loop gives up (exit_on_err); never resolves otherwise. */
  readonly fatal: Promise<Error>;
}

export function createAutoAuth(opts: AutoAuthOptions): AutoAuth {
  const random = opts.random ?? Math.random;
  const backoff = createBackoff(opts.minBackoffMs, opts.maxBackoffMs, random);
  const listeners: ((token: string) => void)[] = [];
  const log = opts.logger.child({ component: 'auth.handler', method: opts.method.type });
  let current: AuthResult | undefined;
  let st: AutoAuthState = { kind: 'idle' };
  let timer: TimerHandle | undefined;
  const sinkTimers = new Set<TimerHandle>();
  let generation = 0;
  let resolveReady!: (t: string) => void;
  let rejectReady!: (e: Error) => void;
  let resolveFatal!: (e: Error) => void;
  const ready = new Promise<string>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => undefined);
  const fatal = new Promise<Error>((res) => (resolveFatal = res));

  const schedule = (ms: number, next: AutoAuthState, fn: () => Promise<void>): void => {
    st = next;
    const gen = generation;
    timer = opts.timers.setTimeout(() => {
      timer = undefined;
      if (gen === generation) void fn();
    }, ms);
  };

  async function authenticate(): Promise<void> {
    if (st.kind === 'stopped') return;
    const gen = ++generation;
    st = { kind: 'authenticating' };
    let result: AuthResult;
    try {
      result = await opts.method.authenticate();
    } catch (e) {
      if (gen !== generation) return;
      const err = e instanceof Error ? e : new Error(String(e));
      log.error({ error: err.message }, 'error authenticating');
      if (opts.exitOnErr) {
        st = { kind: 'failed', error: err };
        rejectReady(err);
        resolveFatal(err);
        return;
      }
      const delayMs = backoff.next();
      schedule(delayMs, { kind: 'backoff', delayMs }, authenticate);
      return;
    }
    if (gen !== generation) return;
    backoff.reset();
    current = result;
    log.info('authentication successful, sending token to sinks');
    await writeSinks(result.token);
    if (gen !== generation) return;
    resolveReady(result.token);
    for (const l of listeners) l(result.token);
    planAfter(result.ttlSeconds, result.renewable, result.wrapped, result.ttlSeconds);
  }

  /** Writes every sink once; a failed sink is retried in the background (min→max backoff) until a newer token replaces it. */
  async function writeSinks(token: string): Promise<void> {
    const gen = generation;
    const attempt = async (s: Sink, retry: ReturnType<typeof createBackoff>): Promise<void> => {
      try {
        await s.write(token);
        log.info({ path: s.path }, 'token written');
      } catch (e) {
        if (gen !== generation) return;
        const delayMs = retry.next();
        log.error({ path: s.path, error: e instanceof Error ? e.message : String(e), retryInMs: delayMs }, 'error writing token to sink');
        const h = opts.timers.setTimeout(() => {
          sinkTimers.delete(h);
          if (gen === generation) void attempt(s, retry);
        }, delayMs);
        sinkTimers.add(h);
      }
    };
    await Promise.all(opts.sinks.map((s) => attempt(s, createBackoff(opts.minBackoffMs, opts.maxBackoffMs, random))));
  }

  /** Decides what happens after a login or a renewal that left `ttl` seconds (asked for `increment`). */
  function planAfter(ttl: number, renewable: boolean, wrapped: boolean, increment: number): void {
    if (wrapped || ttl <= 0) {
      // A wrapping token is for someone else to unwrap; a token without TTL never expires.
      st = { kind: 'holding' };
      return;
    }
    // One second of slack: the server computes the new TTL from its own clock.
    if (renewable && ttl + 1 >= increment) {
      const delayMs = renewDelayMs(ttl, random);
      schedule(delayMs, { kind: 'renew-scheduled', delayMs }, () => renew(increment));
      return;
    }
    // Not renewable, or the TTL stopped growing (max TTL): use most of what is left, then log in again.
    const delayMs = refetchDelayMs(ttl, random);
    log.info({ ttl }, renewable ? 'token TTL can no longer be extended; will re-authenticate' : 'token is not renewable; will re-authenticate');
    schedule(delayMs, { kind: 'reauth-scheduled', delayMs }, authenticate);
  }

  async function renew(increment: number): Promise<void> {
    const token = current?.token;
    if (token === undefined || st.kind === 'stopped') return;
    const gen = generation;
    let ttl: number;
    let renewable: boolean;
    try {
      const res = await vaultCall(opts.conn, 'PUT', 'auth/token/renew-self', { token, body: { increment } });
      const auth = isObject(res['auth']) ? res['auth'] : {};
      ttl = numberOf(auth['lease_duration']);
      renewable = auth['renewable'] === true;
    } catch (e) {
      if (gen !== generation) return;
      log.warn({ error: e instanceof Error ? e.message : String(e) }, 'token renewal failed; re-authenticating');
      void authenticate();
      return;
    }
    if (gen !== generation) return;
    log.debug({ ttl }, 'token renewed');
    planAfter(ttl, renewable, false, increment);
  }

  return {
    start() {
      if (st.kind === 'idle') void authenticate();
    },
    stop() {
      generation++;
      if (timer !== undefined) opts.timers.clearTimeout(timer);
      timer = undefined;
      for (const h of sinkTimers) opts.timers.clearTimeout(h);
      sinkTimers.clear();
      st = { kind: 'stopped' };
      rejectReady(new Error('auto-auth stopped'));
    },
    token: () => current?.token,
    state: () => st,
    onToken(l) {
      listeners.push(l);
    },
    ready,
    fatal,
  };
}
