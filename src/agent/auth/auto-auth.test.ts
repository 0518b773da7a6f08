// Tests of auto-auth against a scripted Vault: login, sinks, renew-self timing, re-login, backoff,
// and the approle / token_file methods' file handling.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../shared/index.js';
import type { AuthMethodConfig } from '../config/types.js';
import { createFileSink } from '../sink/file-sink.js';
import { startFakeVault, loginReply } from '../testing/fake-vault.js';
import type { FakeVault } from '../testing/fake-vault.js';
import { waitUntil } from '../testing/wait-until.js';
import { createFakeTimers } from '../timers.js';
import type { FakeTimers } from '../timers.js';
import { createVaultConnection } from '../vault-connection.js';
import type { VaultConnection } from '../vault-connection.js';
import { createAuthMethod } from './auth-method.js';
import { createAutoAuth } from './auto-auth.js';
import type { AutoAuth } from './auto-auth.js';

let vault: FakeVault;
let conn: VaultConnection;
let dir: string;
let timers: FakeTimers;
let auth: AutoAuth | undefined;

beforeEach(async () => {
  vault = await startFakeVault();
  conn = createVaultConnection({ address: vault.url, retry: { numRetries: 0 } }, {});
  dir = mkdtempSync(join(tmpdir(), 'agent-auth-'));
  timers = createFakeTimers();
});
afterEach(async () => {
  auth?.stop();
  auth = undefined;
  conn.close();
  await vault.close();
});

function approle(extra: Record<string, unknown> = {}): AuthMethodConfig {
  writeFileSync(join(dir, 'role-id'), 'my-role\n');
  writeFileSync(join(dir, 'secret-id'), 'my-secret\n');
  return {
    type: 'approle',
    mountPath: 'auth/approle',
    minBackoffMs: 1000,
    maxBackoffMs: 8000,
    exitOnErr: false,
    config: { role_id_file_path: join(dir, 'role-id'), secret_id_file_path: join(dir, 'secret-id'), ...extra },
    line: 1,
  };
}

function start(cfg: AuthMethodConfig, sinkMode = 0o600): AutoAuth {
  const sink = createFileSink({ type: 'file', path: join(dir, 'sink'), mode: sinkMode, line: 1 }, conn);
  auth = createAutoAuth({
    method: createAuthMethod(cfg, conn),
    conn,
    sinks: [sink],
    minBackoffMs: cfg.minBackoffMs,
    maxBackoffMs: cfg.maxBackoffMs,
    exitOnErr: cfg.exitOnErr,
    timers,
    logger: silentLogger,
    random: () => 0.5,
  });
  auth.start();
  return auth;
}

const logins = (): number => vault.requests.filter((r) => r.path === 'auth/approle/login').length;

describe('auto-auth', () => {
  it('logs in with the approle files, writes the sink with its mode and removes the secret-id file', async () => {
    vault.route('PUT', 'auth/approle/login', loginReply('tok-1', 3600));
    const a = start(approle());
    assert.equal(await a.ready, 'tok-1');
    const login = vault.requests.find((r) => r.path === 'auth/approle/login');
    assert.deepEqual(login?.body, { role_id: 'my-role', secret_id: 'my-secret' });
    assert.equal(readFileSync(join(dir, 'sink'), 'utf8'), 'tok-1');
    assert.equal(statSync(join(dir, 'sink')).mode & 0o777, 0o600);
    assert.equal(existsSync(join(dir, 'secret-id')), false);
    assert.equal(existsSync(join(dir, 'role-id')), true);
  });

  it('keeps the secret-id file when remove_secret_id_file_after_reading is false', async () => {
    vault.route('PUT', 'auth/approle/login', loginReply('tok-1', 3600));
    await start(approle({ remove_secret_id_file_after_reading: false })).ready;
    assert.equal(existsSync(join(dir, 'secret-id')), true);
  });

  it('renews with renew-self at 2/3 of the TTL and keeps renewing while the TTL grows back', async () => {
    vault.route('PUT', 'auth/approle/login', loginReply('tok-1', 3600));
    vault.route('PUT', 'auth/token/renew-self', loginReply('tok-1', 3600));
    const a = start(approle());
    await a.ready;
    assert.deepEqual(a.state(), { kind: 'renew-scheduled', delayMs: 2_400_000 });
    assert.equal(timers.nextDelay(), 2_400_000);
    await timers.runNext();
    await waitUntil(() => vault.requests.some((r) => r.path === 'auth/token/renew-self'), 'renew-self');
    const renew = vault.requests.find((r) => r.path === 'auth/token/renew-self');
    assert.equal(renew?.token, 'tok-1');
    assert.deepEqual(renew?.body, { increment: 3600 });
    await waitUntil(() => a.state().kind === 'renew-scheduled' && timers.pending().length === 1, 'next renewal');
    assert.equal(timers.nextDelay(), 2_400_000);
    assert.equal(logins(), 1);
  });

  it('logs in again at 85–90 % of what is left once renew-self says the TTL cannot grow', async () => {
    let n = 0;
    vault.route('PUT', 'auth/approle/login', () => loginReply(`tok-${++n}`, 3600));
    vault.route('PUT', 'auth/token/renew-self', loginReply('tok-1', 1000));
    const seen: string[] = [];
    const a = start(approle());
    a.onToken((t) => seen.push(t));
    await a.ready;
    await timers.runNext();
    await waitUntil(() => a.state().kind === 'reauth-scheduled', 'reauth scheduled');
    // threshold 0.9 minus 0.05 × random(0.5) = 0.875 of the 1000 s left.
    assert.deepEqual(a.state(), { kind: 'reauth-scheduled', delayMs: 875_000 });
    await timers.runNext();
    await waitUntil(() => seen.length === 2, 'second token');
    assert.deepEqual(seen, ['tok-1', 'tok-2']);
    assert.equal(readFileSync(join(dir, 'sink'), 'utf8'), 'tok-2');
    // The secret id was cached: the second login still sends it although the file is gone.
    assert.deepEqual(vault.requests.filter((r) => r.path === 'auth/approle/login').map((r) => r.body), [
      { role_id: 'my-role', secret_id: 'my-secret' },
      { role_id: 'my-role', secret_id: 'my-secret' },
    ]);
  });

  it('logs in again when the renewal fails, and schedules a non-renewable token for re-login', async () => {
    let n = 0;
    vault.route('PUT', 'auth/approle/login', () => loginReply(`tok-${++n}`, 60, n === 1));
    vault.route('PUT', 'auth/token/renew-self', { status: 403, body: { errors: ['permission denied'] } });
    const a = start(approle());
    await a.ready;
    await timers.runNext();
    await waitUntil(() => a.token() === 'tok-2', 're-login after failed renewal');
    await waitUntil(() => a.state().kind === 'reauth-scheduled', 'reauth scheduled');
    assert.deepEqual(a.state(), { kind: 'reauth-scheduled', delayMs: 52_500 });
  });

  it('backs off from min_backoff doubling to max_backoff while logins fail, then recovers', async () => {
    let fail = true;
    vault.route('PUT', 'auth/approle/login', () => (fail ? { status: 500, body: { errors: ['boom'] } } : loginReply('tok-ok', 3600)));
    const a = start(approle());
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      await waitUntil(() => a.state().kind === 'backoff', 'backoff');
      const s = a.state();
      delays.push(s.kind === 'backoff' ? s.delayMs : -1);
      await timers.runNext();
    }
    // jitter removes 25 % × random(0.5) = 12.5 %: 1000, 2000, 4000, 8000, 8000 (max) scaled by 0.875.
    assert.deepEqual(delays, [875, 1750, 3500, 7000, 7000]);
    await waitUntil(() => a.state().kind === 'backoff', 'backoff');
    fail = false;
    await timers.runNext();
    assert.equal(await a.ready, 'tok-ok');
  });

  it('gives up with exit_on_err on the first failed login', async () => {
    vault.route('PUT', 'auth/approle/login', { status: 400, body: { errors: ['invalid role ID'] } });
    const a = start({ ...approle(), exitOnErr: true });
    const err = await a.fatal;
    assert.match(err.message, /invalid role ID/);
    await assert.rejects(a.ready, /invalid role ID/);
  });

  it('token_file: validates the token with lookup-self and renews it', async () => {
    writeFileSync(join(dir, 'token'), 's.file-token\n');
    vault.route('GET', 'auth/token/lookup-self', { body: { data: { ttl: 600, renewable: true } } });
    vault.route('PUT', 'auth/token/renew-self', loginReply('s.file-token', 600));
    const a = start({ type: 'token_file', mountPath: 'auth/token_file', minBackoffMs: 1000, maxBackoffMs: 2000, exitOnErr: false, config: { token_file_path: join(dir, 'token') }, line: 1 });
    assert.equal(await a.ready, 's.file-token');
    assert.equal(vault.requests[0]?.token, 's.file-token');
    assert.deepEqual(a.state(), { kind: 'renew-scheduled', delayMs: 400_000 });
  });

  it('kubernetes: sends the role and the service-account token read from token_path', async () => {
    writeFileSync(join(dir, 'sa-token'), 'eyJ.sa.jwt\n');
    vault.route('PUT', 'auth/k8s/login', loginReply('tok-k', 0));
    const a = start({ type: 'kubernetes', mountPath: 'auth/k8s', minBackoffMs: 1000, maxBackoffMs: 2000, exitOnErr: false, config: { role: 'app', token_path: join(dir, 'sa-token') }, line: 1 });
    assert.equal(await a.ready, 'tok-k');
    assert.deepEqual(vault.requests[0]?.body, { role: 'app', jwt: 'eyJ.sa.jwt' });
    assert.deepEqual(a.state(), { kind: 'holding' });
  });

  it('retries a sink that could not be written, with backoff, until it succeeds', async () => {
    vault.route('PUT', 'auth/approle/login', loginReply('tok-1', 3600));
    const cfg = approle();
    const sinkPath = join(dir, 'missing-dir', 'sink');
    let failures = 0;
    const sink = createFileSink({ type: 'file', path: sinkPath, mode: 0o600, line: 1 }, conn);
    auth = createAutoAuth({
      method: createAuthMethod(cfg, conn),
      conn,
      sinks: [{ path: sinkPath, write: (t) => sink.write(t).catch((e: unknown) => { failures++; throw e; }) }],
      minBackoffMs: 1000,
      maxBackoffMs: 8000,
      exitOnErr: false,
      timers,
      logger: silentLogger,
      random: () => 0,
    });
    auth.start();
    await auth.ready;
    assert.equal(failures, 1);
    const retry = timers.pending().find((p) => p.due - timers.clock.now() === 1000);
    assert.ok(retry, 'a sink retry is scheduled after min_backoff');
    mkdirSync(join(dir, 'missing-dir'));
    await timers.advance(1000);
    await waitUntil(() => existsSync(sinkPath), 'sink written on retry');
    assert.equal(readFileSync(sinkPath, 'utf8'), 'tok-1');
  });

  it('jwt: sends role and the JWT file, removes the file by default and reuses the cached JWT', async () => {
    writeFileSync(join(dir, 'jwt'), 'eyJ.workload.jwt');
    let n = 0;
    vault.route('PUT', 'auth/jwt/login', () => loginReply(`tok-${++n}`, 10, false));
    const a = start({ type: 'jwt', mountPath: 'auth/jwt', minBackoffMs: 1000, maxBackoffMs: 2000, exitOnErr: false, config: { role: 'nomad', path: join(dir, 'jwt') }, line: 1 });
    assert.equal(await a.ready, 'tok-1');
    assert.equal(existsSync(join(dir, 'jwt')), false);
    await timers.runNext();
    await waitUntil(() => a.token() === 'tok-2', 'second login');
    assert.deepEqual(vault.requests.map((r) => r.body), [{ role: 'nomad', jwt: 'eyJ.workload.jwt' }, { role: 'nomad', jwt: 'eyJ.workload.jwt' }]);
  });

  it('approle: unwraps a response-wrapped secret id after checking its creation path', async () => {
    writeFileSync(join(dir, 'role-id'), 'my-role');
    writeFileSync(join(dir, 'secret-id'), 'wrapping-token');
    vault.route('PUT', 'sys/wrapping/lookup', { body: { data: { creation_path: 'auth/approle/role/app/secret-id' } } });
    vault.route('PUT', 'sys/wrapping/unwrap', (r) => (r.token === 'wrapping-token' ? { body: { data: { secret_id: 'unwrapped-secret' } } } : { status: 400, body: { errors: ['bad'] } }));
    vault.route('PUT', 'auth/approle/login', loginReply('tok-w', 0));
    const cfg: AuthMethodConfig = {
      type: 'approle', mountPath: 'auth/approle', minBackoffMs: 1000, maxBackoffMs: 2000, exitOnErr: true, line: 1,
      config: { role_id_file_path: join(dir, 'role-id'), secret_id_file_path: join(dir, 'secret-id'), secret_id_response_wrapping_path: 'auth/approle/role/app/secret-id' },
    };
    assert.equal(await start(cfg).ready, 'tok-w');
    assert.deepEqual(vault.requests.find((r) => r.path === 'auth/approle/login')?.body, { role_id: 'my-role', secret_id: 'unwrapped-secret' });
  });

  it('approle: refuses a wrapped secret id created at another path', async () => {
    writeFileSync(join(dir, 'role-id'), 'my-role');
    writeFileSync(join(dir, 'secret-id'), 'wrapping-token');
    vault.route('PUT', 'sys/wrapping/lookup', { body: { data: { creation_path: 'sys/wrapping/wrap' } } });
    const a = start({
      type: 'approle', mountPath: 'auth/approle', minBackoffMs: 1000, maxBackoffMs: 2000, exitOnErr: true, line: 1,
      config: { role_id_file_path: join(dir, 'role-id'), secret_id_file_path: join(dir, 'secret-id'), secret_id_response_wrapping_path: 'auth/approle/role/app/secret-id' },
    });
    assert.match((await a.fatal).message, /created at "sys\/wrapping\/wrap", expected "auth\/approle\/role\/app\/secret-id"/);
    assert.equal(vault.requests.some((r) => r.path === 'sys/wrapping/unwrap'), false);
  });

  it('writes a response-wrapped token to a sink with wrap_ttl', async () => {
    vault.route('PUT', 'auth/approle/login', loginReply('tok-1', 3600));
    vault.route('PUT', 'sys/wrapping/wrap', (r) => ({ body: { wrap_info: { token: 'wrapping-tok', ttl: Number(String(r.headers['x-vault-wrap-ttl']).replace('s', '')), creation_path: 'sys/wrapping/wrap' } } }));
    const sink = createFileSink({ type: 'file', path: join(dir, 'wrapped'), mode: 0o640, wrapTtlSeconds: 300, line: 1 }, conn);
    await sink.write('tok-1');
    const wrap = vault.requests.find((r) => r.path === 'sys/wrapping/wrap');
    assert.equal(wrap?.token, 'tok-1');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'wrapped'), 'utf8')), { token: 'wrapping-tok', ttl: 300, creation_path: 'sys/wrapping/wrap' });
  });
});
