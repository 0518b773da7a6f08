// The PostgreSQL side of one database-creds issuance, measured without Coffer: the same
// CREATE ROLE … VALID UNTIL statement sent straight to a throwaway local cluster over a pool of
// 16 connections, by 64 concurrent callers, for a fixed time. Prints throughput, p50 and p99.
// Usage: npm run build && node dist/bench/pg-direct.js [--duration=10] [--callers=64]

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startTestPostgres } from '../src/testing/index.js';

const flag = (name: string, dflt: number): number => {
  for (const a of process.argv.slice(2)) {
    const m = new RegExp(`^--${name}=(\\d+)$`).exec(a);
    if (m?.[1]) return Number(m[1]);
  }
  return dflt;
};
const durationS = flag('duration', 10);
const callers = flag('callers', 64);
const server = await startTestPostgres();
const pool = new pg.Pool({ connectionString: server.url, max: 16 });
const latencies: number[] = [];
const until = performance.now() + durationS * 1000;
const expiration = new Date(Date.now() + 3600_000).toISOString().replace('T', ' ').replace(/\..*$/, '+0000');
const worker = async (): Promise<void> => {
  while (performance.now() < until) {
    const name = `v-direct-${randomBytes(8).toString('hex')}`;
    const password = randomBytes(15).toString('base64url');
    const started = performance.now();
    await pool.query(`CREATE ROLE "${name}" WITH LOGIN PASSWORD '${password}' VALID UNTIL '${expiration}'`);
    latencies.push(performance.now() - started);
  }
};
await Promise.all(Array.from({ length: callers }, worker));
await pool.end();
await server.close();
latencies.sort((a, b) => a - b);
const at = (q: number): string => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2);
process.stdout.write(`pg-direct: ${(latencies.length / durationS).toFixed(0)} CREATE ROLE/s, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms (${callers} callers, 16 connections)\n`);
