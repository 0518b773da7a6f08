// Hand-run measurement of the expiration manager at scale (not a test). After building:
//   node --expose-gc --max-old-space-size=8192 <outDir>/src/core/expiration/measure-leases.js [leases] [burst]
// (a) `leases` (default 1,000,000) stored leases spread over 30 days: start() time and the heap the
//     manager holds afterwards; then a restart one hour later (overdue sweep).
// (b) `burst` (default 100,000) leases expiring at the same instant: drain time and event-loop delay.
// A third argument sets the manager's batchSize (default 64).

import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createManualClock, silentLogger } from '../../shared/index.js';
import { createExpirationManager } from './expiration-manager.js';
import type { ExpirationManager } from './expiration-manager.js';
import { createFakeTimers, createMemoryStorage, secretLease } from './testkit.js';
import type { MemoryStorage } from './testkit.js';

const DAY_S = 86_400;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;
const ms = (t: number): string => `${t.toFixed(1)} ms`;

/** Longest garbage-collection pause seen while `run` runs: separates GC pauses of the in-memory
 * test storage (which holds every lease in the JS heap) from the manager's own blocking. */
async function withGcWatch<T>(run: () => Promise<T>): Promise<{ result: T; maxGcMs: number }> {
  let maxGcMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) maxGcMs = Math.max(maxGcMs, e.duration);
  });
  obs.observe({ entryTypes: ['gc'] });
  try {
    const result = await run();
    await new Promise((r) => setImmediate(r));
    return { result, maxGcMs };
  } finally {
    obs.disconnect();
  }
}

/** Revoke handler that behaves like I/O: completes on a later turn of the event loop. */
const ioRevoke = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const batchSize = Number(process.argv[4] ?? 64);

function manager(storage: MemoryStorage, clock: ReturnType<typeof createManualClock>, timers: ReturnType<typeof createFakeTimers>): ExpirationManager {
  return createExpirationManager({
    batchSize,
    storage,
    clock,
    timers,
    logger: silentLogger,
    revoke: ioRevoke,
    renew: async (_l, increment) => ({ ttl: increment }),
  });
}

async function measureStart(n: number): Promise<void> {
  const clock = createManualClock();
  const timers = createFakeTimers(clock);
  const storage = createMemoryStorage();
  const writer = manager(storage, clock, timers); // not started: registration only persists
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const ttl = 60 + Math.floor(Math.random() * 30 * DAY_S);
    await writer.register(
      secretLease({ ttl, maxTtl: 31 * DAY_S, tokenId: `tok-${i % 5000}`, internal: { username: `v-ro-${i}` } }),
    );
  }
  await writer.whenIdle();
  console.log(`(a) stored ${n.toLocaleString()} leases (${storage.size().toLocaleString()} keys) in ${ms(performance.now() - t0)}`);

  const before = heap();
  const mgr = manager(storage, clock, timers);
  const t1 = performance.now();
  await mgr.start();
  const startMs = performance.now() - t1;
  await mgr.whenIdle();
  const settledMs = performance.now() - t1;
  const after = heap();
  console.log(
    `(a) start(): ${ms(startMs)} (idle after ${ms(settledMs)}); heap held by the manager: ${mb(after - before)} ` +
      `= ${((after - before) / n).toFixed(2)} bytes/lease; count() = ${(await mgr.count()).toLocaleString()}`,
  );

  // Restarts later on: the leases that expired meanwhile are swept in the background.
  mgr.stop();
  let remaining = n;
  for (const [label, gapMs] of [['1 h', 3_600_000], ['1 day', 86_400_000]] as const) {
    clock.advance(gapMs);
    heap();
    const again = manager(storage, clock, timers);
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const t2 = performance.now();
    let restartMs = 0;
    const { maxGcMs } = await withGcWatch(async () => {
      await again.start();
      restartMs = performance.now() - t2;
      await again.whenIdle();
    });
    const sweepMs = performance.now() - t2;
    lag.disable();
    const left = await again.count();
    console.log(
      `(a) restart ${label} later: start() ${ms(restartMs)}, overdue sweep done after ${ms(sweepMs)}; ` +
        `${(remaining - left).toLocaleString()} expired leases revoked; event-loop delay ` +
        `p50 ${ms(lag.percentile(50) / 1e6)}, p99 ${ms(lag.percentile(99) / 1e6)}, max ${ms(lag.max / 1e6)} ` +
        `(longest GC pause ${ms(maxGcMs)})`,
    );
    remaining = left;
    again.stop();
  }
}

async function measureBurst(n: number): Promise<void> {
  const clock = createManualClock();
  const timers = createFakeTimers(clock);
  const storage = createMemoryStorage();
  const mgr = manager(storage, clock, timers);
  await mgr.start();
  for (let i = 0; i < n; i++) await mgr.register(secretLease({ ttl: 60, internal: { username: `v-ro-${i}` } }));
  await mgr.whenIdle();

  const drain = async (label: string, run: () => Promise<void>): Promise<void> => {
    heap(); // collect garbage left by the set-up, so it is not billed to the drain
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const { maxGcMs } = await withGcWatch(run);
    const took = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    lag.disable();
    console.log(
      `(b) ${label}: ${n.toLocaleString()} leases revoked in ${ms(took)} (${Math.round(n / (took / 1000)).toLocaleString()}/s, ` +
        `CPU ${ms((cpu.user + cpu.system) / 1000)}); ` +
        `event-loop delay p50 ${ms(lag.percentile(50) / 1e6)}, p99 ${ms(lag.percentile(99) / 1e6)}, max ${ms(lag.max / 1e6)} ` +
        `(longest GC pause ${ms(maxGcMs)}); ` +
        `left ${await mgr.count()}`,
    );
  };

  // Timer path: the leases are in the in-memory window when they fall due.
  await drain('due in the window, same instant', async () => {
    clock.advance(60_000);
    timers.runDue();
    await mgr.whenIdle();
  });

  // Sweep path: they fall due while sealed and are found by the overdue sweep after unseal.
  for (let i = 0; i < n; i++) await mgr.register(secretLease({ ttl: 60, internal: { username: `v-ro-${i}` } }));
  await mgr.whenIdle();
  mgr.stop();
  clock.advance(120_000);
  const again = manager(storage, clock, timers);
  await drain('expired while sealed, swept after start()', async () => {
    await again.start();
    await again.whenIdle();
  });
}

const leases = Number(process.argv[2] ?? 1_000_000);
const burst = Number(process.argv[3] ?? 100_000);
if (leases > 0) await measureStart(leases);
await measureBurst(burst);
