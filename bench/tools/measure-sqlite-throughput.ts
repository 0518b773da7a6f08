// A by-hand micro-measurement (not a test): durable puts per second of the sqlite backend with
// many concurrent writers. Run after a build: node dist/bench/tools/measure-sqlite-throughput.js

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Ciphertext } from '../../src/storage/index.js';
import { createSqliteBackend } from '../../src/storage/index.js';

export interface PutThroughput {
  writers: number;
  valueBytes: number;
  puts: number;
  seconds: number;
  putsPerSecond: number;
  commits: number;
  writesPerCommit: number;
}

/**
 * Runs `writers` concurrent loops, each awaiting one durable put of `valueBytes` at a time, until
 * `totalPuts` have resolved, in a throwaway database under `dir` (default: the OS temp dir).
 */
export async function measureDurablePuts(opts: {
  writers?: number;
  valueBytes?: number;
  totalPuts?: number;
  dir?: string;
}): Promise<PutThroughput> {
  const writers = opts.writers ?? 64;
  const valueBytes = opts.valueBytes ?? 200;
  const totalPuts = opts.totalPuts ?? 50_000;
  const dir = await mkdtemp(join(opts.dir ?? tmpdir(), 'coffer-sqlite-measure-'));
  const b = await createSqliteBackend({ path: join(dir, 'measure.db') });
  try {
    const value = new Uint8Array(valueBytes).fill(0x5a) as Ciphertext;
    let issued = 0;
    const writer = async (w: number): Promise<void> => {
      while (issued < totalPuts) {
        const i = issued++;
        await b.put(`logical/bench/${w}/${i}`, value);
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
    const seconds = (performance.now() - start) / 1000;
    const { commits, writes } = b.stats();
    return {
      writers,
      valueBytes,
      puts: totalPuts,
      seconds,
      putsPerSecond: Math.round(totalPuts / seconds),
      commits,
      writesPerCommit: Math.round((writes / commits) * 10) / 10,
    };
  } finally {
    await b.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  measureDurablePuts({}).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
