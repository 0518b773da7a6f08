// Tests of the process supervisor with real Node child processes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../shared/index.js';
import { waitUntil } from '../testing/wait-until.js';
import { createSystemTimers } from '../timers.js';
import { createExecSupervisor } from './exec-supervisor.js';

// Appends SECRET to OUT, exits 0 on SIGTERM, exits with EXIT_CODE when SECRET is "exit".
const CHILD = `
const fs = require('fs');
process.on('SIGTERM', () => process.exit(0));
process.on('SIGHUP', () => fs.appendFileSync(process.env.OUT, 'HUP\\n'));
fs.appendFileSync(process.env.OUT, process.env.SECRET + '\\n');
if (process.env.SECRET === 'exit') process.exit(Number(process.env.EXIT_CODE));
setInterval(() => {}, 1000);
`;

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

describe('exec supervisor', () => {
  it('starts the child with rendered variables, restarts it on change and exits with its code', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'agent-exec-')), 'out');
    const sup = createExecSupervisor({
      command: [process.execPath, '-e', CHILD],
      restartOnSecretChanges: 'always',
      restartStopSignal: 'SIGTERM',
      baseEnv: { OUT: out, EXIT_CODE: '3' },
      timers: createSystemTimers(),
      logger: silentLogger,
    });
    await sup.update({ SECRET: 'one' });
    await waitUntil(() => lines(out).length === 1, 'first child');
    const firstPid = sup.pid();
    await sup.update({ SECRET: 'one' });
    assert.equal(sup.pid(), firstPid);
    sup.forward('SIGHUP');
    await waitUntil(() => lines(out).includes('HUP'), 'forwarded SIGHUP');
    await sup.update({ SECRET: 'two' });
    await waitUntil(() => lines(out).includes('two'), 'restarted child');
    assert.notEqual(sup.pid(), firstPid);
    await sup.update({ SECRET: 'exit' });
    assert.equal(await sup.exited, 3);
    assert.deepEqual(lines(out), ['one', 'HUP', 'two', 'exit']);
  });

  it('does not restart with restart_on_secret_changes = "never", and stop() ends the child', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'agent-exec-')), 'out');
    const sup = createExecSupervisor({
      command: [process.execPath, '-e', CHILD],
      restartOnSecretChanges: 'never',
      restartStopSignal: 'SIGTERM',
      baseEnv: { OUT: out },
      timers: createSystemTimers(),
      logger: silentLogger,
    });
    await sup.update({ SECRET: 'a' });
    await waitUntil(() => lines(out).length === 1, 'child');
    const pid = sup.pid();
    await sup.update({ SECRET: 'b' });
    assert.equal(sup.pid(), pid);
    await sup.stop();
    assert.equal(sup.pid(), undefined);
    assert.deepEqual(lines(out), ['a']);
  });
});
