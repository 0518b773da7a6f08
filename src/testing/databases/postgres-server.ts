// A throwaway PostgreSQL 15 cluster for tests: initdb into a temp dir, pg_ctl on 127.0.0.1 at a
// free port, a password-protected superuser; stopped and deleted by close().

import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { answersSelect, freePort, onProcessExit, run, runningAsRoot, runSync, waitUntil } from './process-utils.js';

export interface TestPostgres {
  host: string;
  port: number;
  /** The superuser (password-authenticated over TCP). */
  user: string;
  password: string;
  database: string;
  /** postgresql://user:password@127.0.0.1:port/postgres?sslmode=disable */
  url: string;
  /** The URL with Vault's `{{username}}`/`{{password}}` placeholders. */
  templatedUrl: string;
  /** The Unix socket directory (local connections are trusted, whatever the passwords). */
  socketDir: string;
  /** Runs one query as the superuser over the Unix socket (works after root password changes). */
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Tries to log in; resolves true when the credentials work. */
  canLogin(user: string, password: string): Promise<boolean>;
  /** Stops the server, keeping its data (for outage tests). */
  stop(): Promise<void>;
  /** Starts a stopped server again on the same port. */
  start(): Promise<void>;
  /** Stops the server and removes every file. */
  close(): Promise<void>;
}

/** Where the PostgreSQL 15 binaries live (Debian's layout); PG_BIN overrides. */
export function postgresBinDir(): string {
  return process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
}

export function postgresAvailable(): boolean {
  return existsSync(join(postgresBinDir(), 'initdb')) && existsSync(join(postgresBinDir(), 'pg_ctl'));
}

async function uidGid(user: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', user])).trim());
  const gid = Number((await run('id', ['-g', user])).trim());
  return { uid, gid };
}

/** Starts a fresh cluster. As root, initdb and the server run as the `postgres` OS user. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'coffer-pg-'));
  const data = join(dir, 'data');
  const asRoot = runningAsRoot();
  const user = 'postgres';
  const password = 'Sup3r-' + Math.random().toString(36).slice(2, 12);
  const pwfile = join(dir, 'pw');
  await writeFile(pwfile, password + '\n', { mode: 0o600 });
  if (asRoot) {
    const { uid, gid } = await uidGid('postgres');
    await chown(dir, uid, gid);
    await chown(pwfile, uid, gid);
  }
  const as = (cmd: string, args: string[]): Promise<string> => (asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));
  const port = await freePort();
  try {
    await as(join(bin, 'initdb'), ['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-N', '-E', 'UTF8', '--locale=C']);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  await rm(pwfile, { force: true });
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const url = `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`;
  const connect = async (u: string, p: string | undefined, host = '127.0.0.1'): Promise<pg.Client> => {
    const c = new pg.Client({ host, port, user: u, password: p, database: 'postgres', connectionTimeoutMillis: 5000 });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  let running = false;
  const start = async (): Promise<void> => {
    await as(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
    running = true;
    // Probe over the trusted Unix socket: a test may have rotated the superuser's password.
    await waitUntil(async () => {
      const c = await connect(user, undefined, dir);
      await c.end();
    }, 'PostgreSQL');
  };
  // A fast (clean) shutdown: with fsync and synchronous_commit off, an immediate one could lose
  // the last commits (a rotated password, say) and make outage tests depend on timing.
  const stop = async (): Promise<void> => {
    if (!running) return;
    await as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    running = false;
  };
  const unhook = onProcessExit(() => {
    if (running) {
      const ctl = [join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'];
      if (asRoot) runSync('runuser', ['-u', 'postgres', '--', ...ctl]);
      else runSync(ctl[0] ?? '', ctl.slice(1));
    }
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    await start();
  } catch (e) {
    const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
    try {
      await stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
      unhook();
    }
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${log}`);
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database: 'postgres',
    url,
    templatedUrl: `postgresql://{{username}}:{{password}}@127.0.0.1:${port}/postgres?sslmode=disable`,
    socketDir: dir,
    async query(sql, params = []) {
      const c = await connect(user, undefined, dir);
      try {
        return (await c.query(sql, [...params])).rows as Record<string, unknown>[];
      } finally {
        await c.end();
      }
    },
    canLogin: (u, p) => answersSelect(() => connect(u, p)),
    stop,
    start,
    async close() {
      try {
        await stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
        unhook();
      }
    },
  };
}
