// End-to-end in process: templates reading leased (dynamic) secrets from a real Coffer with a
// test leasing engine — renewable leases are renewed through sys/leases/renew, non-renewable ones
// are fetched anew before they expire and the rendered file is replaced with the new credentials.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../shared/index.js';
import { createLeasingEngine, startDevServer } from '../testing/index.js';
import type { LeasingLog, TestServer } from '../testing/index.js';
import { startAgent } from './agent.js';
import { parseAgentConfig } from './config/parse-agent-config.js';
import { createFakeRenderer } from './testing/fake-renderer.js';
import { waitUntil } from './testing/wait-until.js';
import { createFakeTimers } from './timers.js';

let server: TestServer;
const log: LeasingLog = { issued: [], revoked: [], renewed: [], failRevocations: false };

before(async () => {
  server = await startDevServer({ extraEngines: { leasing: createLeasingEngine(log) } });
  assert.equal((await server.req('POST', '/v1/sys/mounts/leasing', { body: { type: 'leasing' } })).status, 204);
  assert.equal((await server.req('POST', '/v1/leasing/roles/renewable', { body: { ttl: '1h', max_ttl: '24h' } })).status, 204);
  assert.equal((await server.req('POST', '/v1/leasing/roles/fixed', { body: { ttl: '1h', renewable: false } })).status, 204);
  assert.equal((await server.req('POST', '/v1/leasing/roles/short', { body: { ttl: '4s', max_ttl: '8s' } })).status, 204);
});
after(async () => {
  await server.close();
});

function config(role: string, dest: string): string {
  return JSON.stringify({
    vault: { address: server.url },
    template: [{ destination: dest, contents: `{{ secret "leasing/creds/${role}" .Data.username }}:{{ secret "leasing/creds/${role}" .Data.password }}` }],
  });
}

describe('agent templates with leased secrets from Coffer', () => {
  it('renews a renewable lease through sys/leases/renew at 2/3 of its TTL without re-rendering', async () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'agent-lease-')), 'creds');
    const timers = createFakeTimers();
    const agent = await startAgent({ config: parseAgentConfig(config('renewable', dest), 'a.json'), logger: silentLogger, renderer: createFakeRenderer(), timers, random: () => 0.5, env: { VAULT_TOKEN: server.rootToken } });
    try {
      await agent.templates?.rendered;
      const user = log.issued[log.issued.length - 1] ?? '';
      assert.equal(readFileSync(dest, 'utf8'), `${user}:pw-${user}`);
      assert.equal(timers.nextDelay(), 2_400_000);
      await timers.runNext();
      await waitUntil(() => log.renewed.includes(user), 'lease renewed');
      await waitUntil(() => timers.pending().length === 1, 'next renewal scheduled');
      assert.equal(timers.nextDelay(), 2_400_000);
      assert.equal(readFileSync(dest, 'utf8'), `${user}:pw-${user}`);
    } finally {
      await agent.stop();
    }
  });

  it('in real time, replaces short-lived credentials (4 s TTL, 8 s max) before the old lease is revoked', { timeout: 30_000 }, async () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'agent-lease-')), 'creds');
    const agent = await startAgent({ config: parseAgentConfig(config('short', dest), 'a.json'), logger: silentLogger, renderer: createFakeRenderer(), env: { VAULT_TOKEN: server.rootToken } });
    try {
      await agent.templates?.rendered;
      const first = log.issued[log.issued.length - 1] ?? '';
      let revokedBeforeReplaced: boolean | undefined;
      await waitUntil(() => {
        const replaced = !readFileSync(dest, 'utf8').startsWith(`${first}:`);
        if (replaced) revokedBeforeReplaced = log.revoked.includes(first);
        return replaced;
      }, 'new credentials', 20_000);
      assert.equal(revokedBeforeReplaced, false);
      assert.ok(log.renewed.includes(first), 'the first lease was renewed before it was replaced');
    } finally {
      await agent.stop();
    }
  });

  it('fetches a non-renewable lease anew at 85–90 % of its TTL and replaces the file with the new credentials', async () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'agent-lease-')), 'creds');
    const timers = createFakeTimers();
    const agent = await startAgent({ config: parseAgentConfig(config('fixed', dest), 'a.json'), logger: silentLogger, renderer: createFakeRenderer(), timers, random: () => 0.5, env: { VAULT_TOKEN: server.rootToken } });
    try {
      await agent.templates?.rendered;
      const first = log.issued[log.issued.length - 1] ?? '';
      assert.equal(readFileSync(dest, 'utf8'), `${first}:pw-${first}`);
      assert.equal(timers.nextDelay(), 3_150_000);
      await timers.runNext();
      await waitUntil(() => readFileSync(dest, 'utf8') !== `${first}:pw-${first}`, 'new credentials rendered');
      const second = log.issued[log.issued.length - 1] ?? '';
      assert.notEqual(second, first);
      assert.equal(readFileSync(dest, 'utf8'), `${second}:pw-${second}`);
    } finally {
      await agent.stop();
    }
  });
});
