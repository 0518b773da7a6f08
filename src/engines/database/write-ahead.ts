// Start-up recovery of work interrupted by a crash: dynamic users whose lease was never stored
// are dropped, root rotations are settled, and static rotations resume (via the scheduler).
// Runs in the background on the engine's timers; retries with backoff while a database is down.

import type { EngineContext } from './context.js';
import { settleRootRotation } from './path-config.js';
import { CREDS_WAL_PREFIX, ROOT_WAL_PREFIX, loadConfig, loadCredsWal } from './records.js';
import type { TimerHandle } from './timers.js';

export interface Recovery {
  /** Settles root rotation `name` in the background (its outcome was unknown when it ran). */
  settleRoot(name: string): void;
  /** Cancels pending retries. */
  stop(): void;
}

const MAX_BACKOFF_MS = 5 * 60_000;

/** Rolls back one creds record; true when it is settled (and deleted). */
async function rollBackUser(ctx: EngineContext, key: string): Promise<boolean> {
  const storage = ctx.backend.storage;
  const rec = await loadCredsWal(storage, key);
  if (!rec) return true;
  if (!(await loadConfig(storage, rec.db_name))) {
    ctx.backend.logger.warn({ db_name: rec.db_name }, 'dropping a write-ahead record whose database connection no longer exists');
    await storage.delete(key);
    return true;
  }
  const { driver } = await ctx.connections.get(rec.db_name);
  try {
    await driver.revokeUser({ username: rec.username, statements: rec.revocation_statements });
  } catch (e) {
    // Custom revocation statements may fail because the user was never created; the plugin's
    // defaults succeed in that case.
    if (rec.revocation_statements.length === 0) throw e;
    await driver.revokeUser({ username: rec.username, statements: [] });
  }
  await storage.delete(key);
  return true;
}

/**
 * Lists the records present now (they predate this backend instance, so none belongs to a
 * request in flight) and settles them in the background, retrying failures with backoff.
 */
export async function startRecovery(ctx: EngineContext): Promise<Recovery> {
  const storage = ctx.backend.storage;
  const creds = (await storage.list(CREDS_WAL_PREFIX)).filter((k) => !k.endsWith('/')).map((k) => CREDS_WAL_PREFIX + k);
  const roots = (await storage.list(ROOT_WAL_PREFIX)).filter((k) => !k.endsWith('/'));
  let timer: TimerHandle | undefined;
  let stopped = false;
  const remainingCreds = new Set(creds);
  const remainingRoots = new Set(roots);
  let attempt = 0;
  const arm = (delayMs: number): void => {
    if (timer === undefined && !stopped) timer = ctx.timers.set(pass, delayMs, 'rollback');
  };
  const pass = async (): Promise<void> => {
    timer = undefined;
    if (stopped) return;
    for (const name of [...remainingRoots]) {
      try {
        const outcome = await ctx.locks.run(`config:${name}`, () => settleRootRotation(ctx, name));
        if (outcome !== 'unknown') remainingRoots.delete(name);
      } catch (e) {
        ctx.backend.logger.warn({ db_name: name, error: e instanceof Error ? e.message : String(e) }, 'could not settle an interrupted root rotation; will retry');
      }
    }
    for (const key of [...remainingCreds]) {
      if (stopped) return;
      try {
        if (await rollBackUser(ctx, key)) remainingCreds.delete(key);
      } catch (e) {
        ctx.backend.logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'could not roll back an unleased database user; will retry');
      }
    }
    if (remainingCreds.size === 0 && remainingRoots.size === 0) {
      attempt = 0;
      return;
    }
    attempt++;
    arm(Math.min(1000 * 2 ** (attempt - 1), MAX_BACKOFF_MS));
  };
  if (creds.length > 0 || roots.length > 0) arm(0);
  return {
    settleRoot(name) {
      remainingRoots.add(name);
      arm(1000);
    },
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
