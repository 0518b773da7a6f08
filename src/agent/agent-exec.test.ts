// The agent in process-supervisor mode: env_template values reach the child's environment, a
// changed value restarts it, and the agent finishes with the child's exit code.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../shared/index.js';
import { startAgent } from './agent.js';
import { parseAgentConfig } from './config/parse-agent-config.js';
import { createFakeRenderer } from './testing/fake-renderer.js';
import { startFakeVault } from './testing/fake-vault.js';
import type { FakeVault } from './testing/fake-vault.js';
import { waitUntil } from './testing/wait-until.js';
import { createFakeTimers } from './timers.js';

let vault: FakeVault;
beforeEach(async () => {
  vault = await startFakeVault();
});
afterEach(async () => {
  await vault.close();
});

const CHILD = "require('fs').appendFileSync(process.env.OUT, process.env.DB_PASSWORD + '\\n'); process.on('SIGTERM', () => process.exit(0)); if (process.env.DB_PASSWORD === 'quit') process.exit(7); setInterval(() => {}, 1000);";

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

describe('agent with exec and env_template', () => {
  it('starts the child with rendered variables, restarts it when they change and exits with its code', async () => {
    let password = 'first';
    vault.route('GET', 'secret/data/db', () => ({ body: { lease_id: '', lease_duration: 0, renewable: false, data: { data: { password } } } }));
    const out = join(mkdtempSync(join(tmpdir(), 'agent-exec-')), 'out');
    const config = parseAgentConfig(
      JSON.stringify({
        vault: { address: vault.url },
        env_template: { DB_PASSWORD: { contents: '{{ secret "secret/data/db" .Data.data.password }}' } },
        exec: { command: [process.execPath, '-e', CHILD], restart_on_secret_changes: 'always' },
        template_config: { static_secret_render_interval: '10s' },
      }),
      'exec.json',
    );
    const timers = createFakeTimers();
    const agent = await startAgent({ config, logger: silentLogger, renderer: createFakeRenderer(), timers, random: () => 0.5, env: { OUT: out, VAULT_TOKEN: 'env-token' }, execStdio: 'ignore' });
    await waitUntil(() => lines(out).length === 1, 'child started');
    assert.equal(vault.requests[0]?.token, 'env-token');
    password = 'second';
    await timers.runNext();
    await waitUntil(() => lines(out).length === 2, 'child restarted');
    password = 'quit';
    await timers.runNext();
    assert.equal(await agent.done, 7);
    assert.deepEqual(lines(out), ['first', 'second', 'quit']);
  });
});
