// Static-role password rotation and its schedule. A rotation first records the new password
// (static-wal/<role>), so one interrupted by a crash or a database outage finishes with the same
// password. Schedules are derived from the stored last_vault_rotation, so they survive restarts.

import { putJson } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { EngineContext } from './context.js';
import { databaseFailure } from './driver.js';
import { STATIC_ROLE_PREFIX, STATIC_WAL_PREFIX, loadPasswordWal, loadStaticRole, saveStaticRole } from './records.js';
import type { StaticRoleRecord } from './records.js';
import type { TimerHandle } from './timers.js';

const RETRY_BASE_MS = 10_000;
const RETRY_MAX_MS = 5 * 60_000;

/** When the role's next rotation is due (ms since the epoch). */
export const nextRotation = (r: StaticRoleRecord): number => r.last_vault_rotation + r.rotation_period * 1000;

/**
 * Sets a new password for the static role now (reusing an unfinished rotation's password) and
 * stores it. Throws invalid_request for an unknown role, internal for a database failure.
 */
export async function rotateStaticRole(ctx: EngineContext, name: string): Promise<StaticRoleRecord> {
  const storage = ctx.backend.storage;
  return ctx.locks.run(`static:${name}`, async () => {
    const role = await loadStaticRole(storage, name);
    if (!role) throw new CofferError('invalid_request', `no static role named ${JSON.stringify(name)}`);
    const { driver, config } = await ctx.connections.get(role.db_name);
    const walKey = STATIC_WAL_PREFIX + name;
    let password = (await loadPasswordWal(storage, walKey))?.password;
    if (password === undefined || password === '') {
      password = await ctx.backend.system.generatePassword(config.password_policy || undefined);
      await putJson(storage, walKey, { password, created: ctx.clock.now() });
    }
    try {
      await driver.setPassword({ username: role.username, password, statements: role.rotation_statements });
    } catch (e) {
      throw databaseFailure(`failed to rotate the password of static role ${JSON.stringify(name)}`, e);
    }
    const next: StaticRoleRecord = { ...role, password, last_vault_rotation: ctx.clock.now() };
    await saveStaticRole(storage, name, next);
    await storage.delete(walKey);
    return next;
  });
}

export interface RotationScheduler {
  /** (Re)arms the role's timer for its stored schedule. */
  schedule(name: string): Promise<void>;
  cancel(name: string): void;
  /** Arms every stored static role; rotations that came due meanwhile run at once. */
  start(): Promise<void>;
  stop(): void;
}

export function createRotationScheduler(ctx: EngineContext): RotationScheduler {
  const storage = ctx.backend.storage;
  const timers = new Map<string, TimerHandle>();
  const failures = new Map<string, number>();
  let stopped = false;

  const arm = (name: string, dueMs: number): void => {
    timers.get(name)?.cancel();
    if (stopped) return;
    timers.set(name, ctx.timers.set(() => fire(name), Math.max(0, dueMs - ctx.clock.now()), `rotate:${name}`));
  };

  const dueOf = async (name: string, role: StaticRoleRecord): Promise<number> =>
    (await loadPasswordWal(storage, STATIC_WAL_PREFIX + name)) ? ctx.clock.now() : nextRotation(role);

  const fire = async (name: string): Promise<void> => {
    timers.delete(name);
    if (stopped) return;
    const role = await loadStaticRole(storage, name);
    if (!role) return;
    const due = await dueOf(name, role);
    // Woke early (long delays are capped by the timer): wait again.
    if (due > ctx.clock.now()) return arm(name, due);
    try {
      const next = await rotateStaticRole(ctx, name);
      failures.delete(name);
      arm(name, nextRotation(next));
    } catch (e) {
      const n = (failures.get(name) ?? 0) + 1;
      failures.set(name, n);
      ctx.backend.logger.warn({ role: name, attempt: n, error: e instanceof Error ? e.message : String(e) }, 'static role rotation failed; will retry');
      arm(name, ctx.clock.now() + Math.min(RETRY_BASE_MS * 2 ** (n - 1), RETRY_MAX_MS));
    }
  };

  return {
    async schedule(name) {
      const role = await loadStaticRole(storage, name);
      if (!role) return this.cancel(name);
      arm(name, await dueOf(name, role));
    },
    cancel(name) {
      timers.get(name)?.cancel();
      timers.delete(name);
      failures.delete(name);
    },
    async start() {
      for (const key of await storage.list(STATIC_ROLE_PREFIX)) {
        if (!key.endsWith('/')) await this.schedule(key);
      }
      // Rotations interrupted before their role was stored have nothing left to finish.
      for (const key of await storage.list(STATIC_WAL_PREFIX)) {
        if (!(await loadStaticRole(storage, key))) await storage.delete(STATIC_WAL_PREFIX + key);
      }
    },
    stop() {
      stopped = true;
      for (const t of timers.values()) t.cancel();
      timers.clear();
    },
  };
}
