// Acceptance (auth methods): Python hvac logs in through userpass and AppRole against a real dev
// server process; the core mints the tokens from the methods' grants.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ServerProcess } from '../testing/index.js';
import { repoRoot, startServerProcess } from '../testing/index.js';

const run = promisify(execFile);

describe('auth methods with hvac against a dev server process', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess(['-dev', '-dev-root-token-id=root', '-dev-listen-address=127.0.0.1:0', '-log-level=warn']);
  });
  after(async () => {
    await server.stop();
  });

  it('logs in with userpass and AppRole and gets tokens with the configured policies and TTLs', async () => {
    const script = join(repoRoot, 'test-clients', 'python', 'hvac_auth.py');
    const { stdout } = await run('/usr/bin/python3', [script, server.url, 'root'], { timeout: 60_000 });
    assert.equal(stdout.trim(), 'ok');
  });
});
