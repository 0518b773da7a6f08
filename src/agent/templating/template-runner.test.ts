// Tests of the template runner against a scripted Vault with fake timers and a fake renderer:
// atomic writes only on change, commands after a change, lease renewal and re-fetch, retries.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../shared/index.js';
import { startFakeVault } from '../testing/fake-vault.js';
import type { FakeVault } from '../testing/fake-vault.js';
import { createFakeRenderer } from '../testing/fake-renderer.js';
import { waitUntil } from '../testing/wait-until.js';
import { createFakeTimers } from '../timers.js';
import type { FakeTimers } from '../timers.js';
import { createVaultConnection } from '../vault-connection.js';
import type { VaultConnection } from '../vault-connection.js';
import { createTemplateRunner } from './template-runner.js';
import type { RunnerTemplate, TemplateRunner, TemplateRunnerOptions } from './template-runner.js';

let vault: FakeVault;
let conn: VaultConnection;
let dir: string;
let timers: FakeTimers;
let runner: TemplateRunner | undefined;
let commands: string[];

beforeEach(async () => {
  vault = await startFakeVault();
  conn = createVaultConnection({ address: vault.url, retry: { numRetries: 0 } }, {});
  dir = mkdtempSync(join(tmpdir(), 'agent-tpl-'));
  timers = createFakeTimers();
  commands = [];
});
afterEach(async () => {
  runner?.stop();
  runner = undefined;
  conn.close();
  await vault.close();
});

function tpl(contents: string, extra: Partial<RunnerTemplate> = {}): RunnerTemplate {
  const destination = join(dir, 'out', 'config.json');
  return { id: destination, contents, destination, createDestDirs: true, commandTimeoutMs: 1000, errorOnMissingKey: false, leftDelimiter: '{{', rightDelimiter: '}}', ...extra };
}

function start(templates: RunnerTemplate[], extra: Partial<TemplateRunnerOptions> = {}): TemplateRunner {
  runner = createTemplateRunner({
    templates,
    renderer: createFakeRenderer(),
    conn,
    token: () => 'agent-token',
    timers,
    logger: silentLogger,
    settings: { staticIntervalMs: 300_000, threshold: 0.9 },
    exitOnRetryFailure: false,
    numRetries: 12,
    random: () => 0.5,
    runCommand: (cmd) => {
      commands.push(String(cmd));
      return Promise.resolve({ code: 0 });
    },
    ...extra,
  });
  runner.start();
  return runner;
}

/** Requests other than the KV v2 mount probes. */
const reads = (): FakeVault['requests'] => vault.requests.filter((r) => !r.path.startsWith('sys/internal/ui/mounts/'));

const kv = (value: string): { body: unknown } => ({ body: { request_id: 'x', lease_id: '', renewable: false, lease_duration: 0, data: { data: { key: value }, metadata: { version: 1 } } } });

describe('template runner', () => {
  it('inserts data/ (reads) and metadata/ (lists) after a KV v2 mount, probing the mount once', async () => {
    vault.route('GET', /^sys\/internal\/ui\/mounts\/secret\//, { body: { data: { path: 'secret/', type: 'kv', options: { version: '2' } } } });
    vault.route('GET', 'secret/data/app', kv('v1'));
    vault.route('GET', 'secret/metadata/', { body: { data: { keys: ['b', 'a/'] } } });
    const r = start([tpl('{{ secret "secret/app" .Data.data.key }} {{ list "secret/" }} {{ secret "secret/data/app" .Data.data.key }}')]);
    await r.rendered;
    assert.equal(readFileSync(join(dir, 'out', 'config.json'), 'utf8'), 'v1 a/,b v1');
    assert.deepEqual(reads().map((q) => q.path), ['secret/data/app', 'secret/metadata/?list=true', 'secret/data/app']);
  });

  it('renders a KV v2 value with the agent token, creating the directory and applying perms', async () => {
    vault.route('GET', 'secret/data/app', kv('v1'));
    const r = start([tpl('key={{ secret "secret/data/app" .Data.data.key }}', { perms: 0o600, command: 'reload' })]);
    await r.rendered;
    const file = join(dir, 'out', 'config.json');
    assert.equal(readFileSync(file, 'utf8'), 'key=v1');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(reads()[0]?.token, 'agent-token');
    assert.deepEqual(commands, ['reload']);
    assert.deepEqual(readdirSync(join(dir, 'out')), ['config.json']);
  });

  it('re-reads static secrets every interval and writes (and runs the command) only when the output changed', async () => {
    let value = 'v1';
    vault.route('GET', 'secret/data/app', () => kv(value));
    const r = start([tpl('key={{ secret "secret/data/app" .Data.data.key }}', { command: 'reload' })]);
    await r.rendered;
    assert.equal(timers.nextDelay(), 300_000);
    const changes: string[] = [];
    r.onChange((_id, out) => changes.push(out));
    await timers.runNext();
    await waitUntil(() => reads().length === 2 && timers.pending().length === 1, 'second read');
    assert.deepEqual(commands, ['reload']);
    value = 'v2';
    await timers.runNext();
    await waitUntil(() => changes.length === 1, 'changed render');
    assert.equal(readFileSync(join(dir, 'out', 'config.json'), 'utf8'), 'key=v2');
    assert.deepEqual(commands, ['reload', 'reload']);
    assert.deepEqual(changes, ['key=v2']);
  });

  it('with backup, keeps the content a render replaces as <destination>.bak with the same mode', async () => {
    let value = 'v1';
    vault.route('GET', 'secret/data/app', () => kv(value));
    const destination = join(dir, 'backed-up');
    writeFileSync(destination, 'hand-written', { mode: 0o640 });
    const r = start([tpl('key={{ secret "secret/data/app" .Data.data.key }}', { id: destination, destination, backup: true })]);
    const changes: string[] = [];
    r.onChange((_id, out) => changes.push(out));
    await r.rendered;
    assert.equal(readFileSync(`${destination}.bak`, 'utf8'), 'hand-written');
    assert.equal(statSync(`${destination}.bak`).mode & 0o777, 0o640);
    value = 'v2';
    await timers.runNext();
    await waitUntil(() => changes.length === 1, 'changed render');
    assert.equal(readFileSync(destination, 'utf8'), 'key=v2');
    assert.equal(readFileSync(`${destination}.bak`, 'utf8'), 'key=v1');
  });

  it('with wait, writes only after min of quiet, and within max of the first unwritten change', async () => {
    let value = 'v1';
    vault.route('GET', 'secret/data/app', () => kv(value));
    const destination = join(dir, 'waited');
    const r = start([tpl('key={{ secret "secret/data/app" .Data.data.key }}', { id: destination, destination, wait: { minMs: 2000, maxMs: 5000 }, command: 'reload' })], {
      settings: { staticIntervalMs: 1500, threshold: 0.9 },
    });
    let done = false;
    void r.rendered.then(() => (done = true));
    const quiescing = (minMs: number): boolean => timers.pending().some((p) => p.due === timers.clock.now() + minMs);
    /** Sets the secret, advances `ms` to the next static re-read and waits until that render was handled. */
    const reread = async (next: string, ms: number, expectQuiesce: boolean): Promise<void> => {
      value = next;
      const before = reads().length;
      await timers.advance(ms);
      await waitUntil(() => reads().length === before + 1 && (!expectQuiesce || quiescing(2000)), `re-read of ${next}`);
    };

    // t=0: the first render is held for min (2 s) of quiet; the identical re-read at 1.5 s does not extend it.
    await waitUntil(() => quiescing(2000), 'quiescence of the first render');
    await reread('v1', 1500, false);
    await timers.advance(499);
    assert.equal(existsSync(destination), false);
    await timers.advance(1);
    await waitUntil(() => done, 'first write at 2 s');
    assert.equal(readFileSync(destination, 'utf8'), 'key=v1');
    assert.deepEqual(commands, ['reload']);

    // Re-reads at 3, 4.5, 6 and 7.5 s each bring a change and restart min; max (5 s after the
    // first change, at 8 s) writes the newest.
    await reread('v2', 1000, true);
    await reread('v3', 1500, true);
    await reread('v4', 1500, true);
    await reread('v5', 1500, true);
    assert.equal(readFileSync(destination, 'utf8'), 'key=v1', 'still quiescing');
    await timers.advance(500);
    await waitUntil(() => readFileSync(destination, 'utf8') === 'key=v5', 'write at max');
    assert.deepEqual(commands, ['reload', 'reload']);
  });

  it('with user and group, hands the destination to that owner', { skip: process.getuid?.() !== 0 ? 'changing a file owner needs root' : false }, async () => {
    vault.route('GET', 'secret/data/app', kv('v1'));
    const destination = join(dir, 'owned');
    const r = start([tpl('key={{ secret "secret/data/app" .Data.data.key }}', { id: destination, destination, user: '65534', group: '65534' })]);
    await r.rendered;
    const st = statSync(destination);
    assert.equal(readFileSync(destination, 'utf8'), 'key=v1');
    assert.equal(st.uid, 65534);
    assert.equal(st.gid, 65534);
  });

  it('without backup, leaves no .bak file', async () => {
    vault.route('GET', 'secret/data/app', kv('v1'));
    const destination = join(dir, 'plain');
    writeFileSync(destination, 'old');
    const r = start([tpl('key={{ secret "secret/data/app" .Data.data.key }}', { id: destination, destination })]);
    await r.rendered;
    assert.equal(readFileSync(destination, 'utf8'), 'key=v1');
    assert.equal(existsSync(`${destination}.bak`), false);
  });

  it('does not rewrite a destination that already holds the rendered content', async () => {
    vault.route('GET', 'secret/data/app', kv('same'));
    const destination = join(dir, 'existing');
    writeFileSync(destination, 'key=same');
    const r = start([tpl('key={{ secret "secret/data/app" .Data.data.key }}', { id: destination, destination, command: 'reload' })]);
    await r.rendered;
    assert.deepEqual(commands, []);
  });

  it('shares one fetch between templates reading the same secret and hands engines the response text as received', async () => {
    const text = '{"lease_id":"","lease_duration":2764800,"renewable":false,"data":{"ttl":3600,"ratio":1.50}}';
    vault.route('GET', 'kv/nums', { text });
    const a = tpl('{{ secret "kv/nums" .Data.ttl }}', { id: 'a', destination: join(dir, 'a') });
    // The engine keeps numbers' JSON text (1.50, not 1.5) by decoding this text itself.
    const b = tpl('{{ secret "kv/nums" .Raw }}', { id: 'b', destination: join(dir, 'b') });
    const r = start([a, b]);
    await r.rendered;
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), '3600');
    assert.equal(readFileSync(join(dir, 'b'), 'utf8'), text);
    assert.equal(reads().length, 1);
    assert.deepEqual(vault.requests.map((r) => r.path), ['sys/internal/ui/mounts/kv/nums', 'kv/nums']);
    // A non-renewable lease of 32 days: re-fetched at 87.5 % of it.
    assert.equal(timers.nextDelay(), Math.round(2_764_800_000 * 0.875));
  });

  it('renews a renewable lease at 2/3 of its TTL, then replaces the credentials before the capped lease expires', async () => {
    let n = 0;
    vault.route('GET', 'database/creds/app', () => {
      n++;
      return { body: { lease_id: `database/creds/app/${n}`, lease_duration: 60, renewable: true, data: { username: `user-${n}`, password: `pw-${n}` } } };
    });
    let renewTtl = 60;
    vault.route('PUT', 'sys/leases/renew', (req) => ({ body: { lease_id: (req.body as { lease_id: string }).lease_id, lease_duration: renewTtl, renewable: true } }));
    const r = start([tpl('{{ secret "database/creds/app" .Data.username }}:{{ secret "database/creds/app" .Data.password }}')]);
    await r.rendered;
    const file = join(dir, 'out', 'config.json');
    assert.equal(readFileSync(file, 'utf8'), 'user-1:pw-1');
    assert.equal(timers.nextDelay(), 40_000);
    await timers.runNext();
    const renew = await vault.waitFor((q) => q.path === 'sys/leases/renew');
    assert.deepEqual(renew.body, { lease_id: 'database/creds/app/1', increment: 60 });
    assert.equal(renew.token, 'agent-token');
    await waitUntil(() => timers.pending().length === 1, 'next renewal');
    assert.equal(timers.nextDelay(), 40_000);
    renewTtl = 20; // max TTL reached: only 20 s are left
    await timers.runNext();
    await waitUntil(() => vault.requests.filter((q) => q.path === 'sys/leases/renew').length === 2 && timers.pending().length === 1, 'capped renewal');
    assert.equal(timers.nextDelay(), 17_500);
    await timers.runNext();
    await waitUntil(() => readFileSync(file, 'utf8') === 'user-2:pw-2', 'new credentials');
    assert.deepEqual(commands, []);
  });

  it('renews a token created by a template write with renew-self using that token', async () => {
    vault.route('PUT', 'auth/token/create', { body: { lease_id: '', lease_duration: 0, renewable: false, data: null, auth: { client_token: 'child-tok', lease_duration: 90, renewable: true } } });
    vault.route('PUT', 'auth/token/renew-self', { body: { auth: { client_token: 'child-tok', lease_duration: 90, renewable: true } } });
    const r = start([tpl('{{ secret "auth/token/create" "policies=ci" .Auth.client_token }}')]);
    await r.rendered;
    assert.equal(readFileSync(join(dir, 'out', 'config.json'), 'utf8'), 'child-tok');
    assert.equal(timers.nextDelay(), 60_000);
    await timers.runNext();
    const renew = await vault.waitFor((q) => q.path === 'auth/token/renew-self');
    assert.equal(renew.token, 'child-tok');
    assert.deepEqual(renew.body, { increment: 90 });
  });

  it('re-fetches at once when a lease renewal fails', async () => {
    let n = 0;
    vault.route('GET', 'database/creds/app', () => ({ body: { lease_id: `l/${++n}`, lease_duration: 30, renewable: true, data: { username: `u${n}` } } }));
    vault.route('PUT', 'sys/leases/renew', { status: 400, body: { errors: ['lease not found'] } });
    const r = start([tpl('{{ secret "database/creds/app" .Data.username }}')]);
    await r.rendered;
    await timers.runNext();
    await waitUntil(() => readFileSync(join(dir, 'out', 'config.json'), 'utf8') === 'u2', 'refetched');
  });

  it('sends the write form of secret as a PUT of the key=value pairs', async () => {
    vault.route('PUT', 'pki/issue/web', (q) => ({ body: { lease_id: '', lease_duration: 0, data: { certificate: `CERT for ${(q.body as { common_name: string }).common_name}` } } }));
    const r = start([tpl('{{ secret "pki/issue/web" "common_name=a.example" " ttl = 1h" .Data.certificate }}')]);
    await r.rendered;
    assert.deepEqual(reads()[0]?.body, { common_name: 'a.example', ttl: '1h' });
    assert.equal(readFileSync(join(dir, 'out', 'config.json'), 'utf8'), 'CERT for a.example');
  });

  it('retries a missing secret with backoff and gives up with exit_on_retry_failure', async () => {
    const r = start([tpl('{{ secret "secret/data/none" .Data.data.key }}')], { exitOnRetryFailure: true, numRetries: 2 });
    const delays: number[] = [];
    let fatal: Error | undefined;
    void r.fatal.then((e) => (fatal = e));
    for (let i = 0; i < 2; i++) {
      await waitUntil(() => timers.pending().length === 1, 'retry timer');
      delays.push(timers.nextDelay() ?? -1);
      await timers.runNext();
    }
    await waitUntil(() => fatal !== undefined, 'fatal');
    assert.deepEqual(delays, [219, 438]);
    assert.match(fatal?.message ?? '', /no secret exists at secret\/data\/none/);
  });

  it('renders again with fresh secrets after restart (a new auto-auth token)', async () => {
    let n = 0;
    vault.route('GET', 'secret/data/app', () => kv(`v${++n}`));
    const r = start([tpl('{{ secret "secret/data/app" .Data.data.key }}')]);
    await r.rendered;
    r.restart();
    await waitUntil(() => r.outputs().get(join(dir, 'out', 'config.json')) === 'v2', 'second render');
    assert.equal(timers.pending().length, 1);
  });

  it('fails a render on a missing key when error_on_missing_key is set', async () => {
    vault.route('GET', 'secret/data/app', kv('v'));
    const r = start([tpl('{{ secret "secret/data/app" .Data.data.nope }}', { errorOnMissingKey: true })], { exitOnRetryFailure: true, numRetries: 0 });
    assert.match((await r.fatal).message, /no entry for key/);
  });
});
