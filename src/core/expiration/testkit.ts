// Test and measurement helpers for this folder: an in-memory Storage shaped like the real ones
// (a folder tree, so list() costs one folder, not the whole key space) and fake timers driven by
// a ManualClock.

import type { Storage } from '../../sdk/index.js';
import type { ManualClock } from '../../shared/index.js';
import type { ExpiryTimers } from './expiry-window.js';
import { createManualClock, silentLogger } from '../../shared/index.js';
import { createExpirationManager } from './expiration-manager.js';
import type { ExpirationManager, ExpirationManagerDeps, RegisterLeaseInput } from './expiration-manager.js';
import type { LeaseRecord } from './lease-record.js';

interface Folder {
  children: Map<string, Folder | Uint8Array>;
}

export interface MemoryStorage extends Storage {
  /** Number of leaf entries (all folders). */
  size(): number;
  /** Every leaf key, sorted; for assertions on small stores. */
  keys(): string[];
  /** Makes the next matching operations fail (injected storage faults). */
  failPuts(predicate: ((key: string) => boolean) | undefined): void;
  failLists(predicate: ((prefix: string) => boolean) | undefined): void;
}

export function createMemoryStorage(): MemoryStorage {
  const root: Folder = { children: new Map() };
  let leaves = 0;
  let putFault: ((key: string) => boolean) | undefined;
  let listFault: ((prefix: string) => boolean) | undefined;

  const find = (parts: readonly string[]): Folder | undefined => {
    let f: Folder = root;
    for (const p of parts) {
      const next = f.children.get(p);
      if (next === undefined || next instanceof Uint8Array) return undefined;
      f = next;
    }
    return f;
  };

  const all = (f: Folder, prefix: string, out: string[]): void => {
    for (const [name, c] of f.children) {
      if (c instanceof Uint8Array) out.push(prefix + name);
      else all(c, `${prefix}${name}/`, out);
    }
  };

  return {
    async get(key) {
      const parts = key.split('/');
      const leaf = parts.pop()!;
      const v = find(parts)?.children.get(leaf);
      return v instanceof Uint8Array ? v : undefined;
    },
    async put(key, value) {
      if (putFault?.(key)) throw new Error(`injected storage failure for ${key}`);
      const parts = key.split('/');
      const leaf = parts.pop()!;
      let f = root;
      for (const p of parts) {
        let next = f.children.get(p);
        if (next === undefined || next instanceof Uint8Array) {
          next = { children: new Map() };
          f.children.set(p, next);
        }
        f = next;
      }
      if (!(f.children.get(leaf) instanceof Uint8Array)) leaves++;
      f.children.set(leaf, value);
    },
    async delete(key) {
      const parts = key.split('/');
      const leaf = parts.pop()!;
      const path: Folder[] = [root];
      for (const p of parts) {
        const next = path[path.length - 1]!.children.get(p);
        if (next === undefined || next instanceof Uint8Array) return;
        path.push(next);
      }
      const f = path[path.length - 1]!;
      if (!(f.children.get(leaf) instanceof Uint8Array)) return;
      f.children.delete(leaf);
      leaves--;
      // Folders exist only while they hold something, as in the real backends.
      for (let i = path.length - 1; i > 0 && path[i]!.children.size === 0; i--) {
        path[i - 1]!.children.delete(parts[i - 1]!);
      }
    },
    async list(prefix) {
      if (listFault?.(prefix)) throw new Error(`injected storage failure for ${prefix}`);
      const parts = prefix === '' ? [] : prefix.slice(0, -1).split('/');
      const f = find(parts);
      if (!f) return [];
      return [...f.children].map(([name, c]) => (c instanceof Uint8Array ? name : name + '/')).sort();
    },
    size: () => leaves,
    keys() {
      const out: string[] = [];
      all(root, '', out);
      return out.sort();
    },
    failPuts(predicate) {
      putFault = predicate;
    },
    failLists(predicate) {
      listFault = predicate;
    },
  };
}

export interface FakeTimers extends ExpiryTimers {
  /** Timers currently armed. */
  pending(): number;
  /** Whether some armed timer is due at the clock's current time. */
  hasDue(): boolean;
  /** Runs every timer due at the clock's current time (callbacks only start async work). */
  runDue(): void;
}

export function createFakeTimers(clock: ManualClock): FakeTimers {
  let seq = 0;
  const armed = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      const id = ++seq;
      armed.set(id, { at: clock.now() + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      if (typeof handle === 'number') armed.delete(handle);
    },
    pending: () => armed.size,
    hasDue: () => [...armed.values()].some((t) => t.at <= clock.now()),
    runDue() {
      for (;;) {
        const due = [...armed].filter(([, t]) => t.at <= clock.now()).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) return;
        armed.delete(due[0]);
        due[1].fn();
      }
    },
  };
}

export interface Harness {
  clock: ManualClock;
  timers: FakeTimers;
  storage: MemoryStorage;
  mgr: ExpirationManager;
  /** Ids passed to deps.revoke, in call order (including failed calls). */
  revokeCalls: string[];
  renewCalls: { id: string; increment: number }[];
  /** Replaceable behaviour of deps.revoke / deps.renew. */
  onRevoke: (lease: LeaseRecord) => Promise<void>;
  onRenew: (lease: LeaseRecord, increment: number) => Promise<{ ttl: number; data?: Record<string, unknown> }>;
  /** Moves the clock, fires due timers and waits until the manager is idle again. */
  advance(ms: number): Promise<void>;
  /** A new manager over the same storage, clock and timers (a restart). */
  restart(): ExpirationManager;
}

export function createHarness(opts: { storage?: MemoryStorage; clock?: ManualClock; deps?: Partial<ExpirationManagerDeps> } = {}): Harness {
  const clock = opts.clock ?? createManualClock();
  const timers = createFakeTimers(clock);
  const storage = opts.storage ?? createMemoryStorage();
  const h: Harness = {
    clock,
    timers,
    storage,
    mgr: undefined as unknown as ExpirationManager,
    revokeCalls: [],
    renewCalls: [],
    onRevoke: async () => undefined,
    onRenew: async (_lease, increment) => ({ ttl: increment }),
    async advance(ms) {
      clock.advance(ms);
      for (let i = 0; i < 100; i++) {
        timers.runDue();
        await h.mgr.whenIdle();
        if (!timers.hasDue()) return;
      }
      throw new Error('timers keep firing at the same instant');
    },
    restart() {
      h.mgr.stop();
      h.mgr = make();
      return h.mgr;
    },
  };
  const make = (): ExpirationManager =>
    createExpirationManager({
      storage,
      clock,
      timers,
      logger: silentLogger,
      revoke: async (lease) => {
        h.revokeCalls.push(lease.id);
        await h.onRevoke(lease);
      },
      renew: async (lease, increment) => {
        h.renewCalls.push({ id: lease.id, increment });
        return h.onRenew(lease, increment);
      },
      backoff: { baseMs: 1_000, maxMs: 4_000, maxAttempts: 4 },
      windowMs: 600_000,
      ...opts.deps,
    });
  h.mgr = make();
  return h;
}

/** A secret lease input with sensible defaults. */
export function secretLease(over: Partial<RegisterLeaseInput> = {}): RegisterLeaseInput {
  return {
    idPrefix: 'database/creds/ro',
    path: 'database/creds/ro',
    kind: 'secret',
    tokenId: 'tok-a',
    renewable: true,
    ttl: 60,
    maxTtl: 0,
    internal: { username: 'v-ro-1' },
    ...over,
  };
}
