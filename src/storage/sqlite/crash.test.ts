// Durability under kill -9: a child process acknowledges writes as their puts resolve; after
// SIGKILL mid-burst, every acknowledged write must be in the reopened database.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSqliteBackend } from './index.js';

// The child imports the compiled backend beside this compiled test file.
const backendModule = new URL('./index.js', import.meta.url).href;

const childScript = `
import { createSqliteBackend } from ${JSON.stringify(backendModule)};
const b = await createSqliteBackend({ path: process.argv[2] });
const enc = new TextEncoder();
let next = 0;
async function writer() {
  for (;;) {
    const i = next++;
    await b.put('crash/' + i, enc.encode('value-' + i + '-'.repeat(i % 50)));
    // stdout to a pipe is synchronous on Linux: once this returns, the parent can see the ack.
    process.stdout.write(i + '\\n');
  }
}
for (let w = 0; w < 32; w++) void writer();
`;

const expectedValue = (i: number): string => `value-${i}${'-'.repeat(i % 50)}`;

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coffer-sqlite-crash-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sqlite backend under kill -9', () => {
  it('keeps every write it acknowledged before the process was killed mid-burst', { timeout: 60_000 }, async () => {
    const script = join(dir, 'writer.mjs');
    const dbPath = join(dir, 'crash.db');
    await writeFile(script, childScript);

    const child = spawn(process.execPath, [script, dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let partial = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? ''; // an unterminated line is not a complete ack
      for (const l of lines) acked.push(Number(l));
      if (acked.length >= 300 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGKILL', `child exited on its own (code ${code}): ${stderr}`);
    assert.ok(acked.length >= 300);

    const b = await createSqliteBackend({ path: dbPath });
    try {
      for (const i of acked) {
        assert.ok(Number.isInteger(i), `garbled ack ${i}`);
        const v = await b.get(`crash/${i}`);
        assert.ok(v !== undefined, `acknowledged write crash/${i} was lost`);
        assert.equal(Buffer.from(v).toString(), expectedValue(i));
      }
    } finally {
      await b.close();
    }
  });
});
