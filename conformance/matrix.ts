// The compatibility matrix the conformance suite fills: one cell per (endpoint, client), recorded
// by each client's test file into `conformance-results/<client>.json` (git-ignored), and turned
// into docs/compatibility.md by `npm run compat` (generate-matrix.ts).

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../src/testing/index.js';

export type CellStatus = 'pass' | 'fail' | 'not implemented';

export interface Cell {
  /** e.g. "GET sys/health", "kv v2: read", "approle: login". */
  endpoint: string;
  /** e.g. "hvac", "node-vault", "hashi-vault-js", "ansible". */
  client: string;
  status: CellStatus;
  /** Why it failed, or what is not implemented. */
  note?: string;
}

export const RESULTS_DIR = join(repoRoot, 'conformance-results');

/** Collects the cells of one client's run and writes them when the run ends. */
export interface MatrixRecorder {
  record(endpoint: string, status: CellStatus, note?: string): void;
  /**
   * Runs `fn` (which asserts) and records pass or fail for `endpoint`; rethrows a failure so the
   * test fails too.
   */
  check<T>(endpoint: string, fn: () => Promise<T> | T): Promise<T>;
  save(): void;
}

/** `fileName` (default: the client) lets several test files record cells of one client. */
export function matrixRecorder(client: string, fileName = client): MatrixRecorder {
  const cells = new Map<string, Cell>();
  const rec: MatrixRecorder = {
    record(endpoint, status, note) {
      const prev = cells.get(endpoint);
      // A failure anywhere in an endpoint's checks marks the cell failed.
      if (prev?.status === 'fail') return;
      cells.set(endpoint, { endpoint, client, status, ...(note !== undefined ? { note } : {}) });
    },
    async check(endpoint, fn) {
      try {
        const out = await fn();
        rec.record(endpoint, 'pass');
        return out;
      } catch (e) {
        rec.record(endpoint, 'fail', e instanceof Error ? e.message.split('\n')[0] : String(e));
        throw e;
      }
    },
    save() {
      mkdirSync(RESULTS_DIR, { recursive: true });
      writeFileSync(join(RESULTS_DIR, `${fileName}.json`), JSON.stringify([...cells.values()], null, 2) + '\n');
    },
  };
  return rec;
}

/** Every recorded cell of the last run. */
export function loadResults(): Cell[] {
  let files: string[] = [];
  try {
    files = readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.flatMap((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as Cell[]);
}
