// A throwaway MariaDB (or MySQL) server for tests: mariadb-install-db into a temp dir, mariadbd
// on 127.0.0.1 at a free port with an admin user that holds GRANT OPTION; close() deletes it.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { answersSelect, freePort, onProcessExit, run, runningAsRoot, waitUntil } from './process-utils.js';

export interface TestMariaDb {
  host: string;
  port: number;
  /** An administrator ('<user>'@'%') with ALL PRIVILEGES and GRANT OPTION, password-authenticated. */
  user: string;
  password: string;
  /** A Go-style DSN as Vault's mysql plugin takes it: user:password@tcp(127.0.0.1:port)/ */
  dsn: string;
  /** The DSN with Vault's `{{username}}`/`{{password}}` placeholders. */
  templatedDsn: string;
  /** The server's Unix socket ('root'@'localhost' logs in there without a password). */
  socketPath: string;
  /** Runs one query as root over the Unix socket (works after the admin password changes). */
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  canLogin(user: string, password: string): Promise<boolean>;
  close(): Promise<void>;
}

const SERVER_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd', '/usr/bin/mysqld'];
const INSTALL_CANDIDATES = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'];

const firstExisting = (paths: readonly string[]): string | undefined => paths.find((p) => existsSync(p));

export function mariadbAvailable(): boolean {
  return firstExisting(SERVER_CANDIDATES) !== undefined && firstExisting(INSTALL_CANDIDATES) !== undefined;
}

/** Starts a fresh server (as root it runs with --user=root; the data dir is private to it). */
export async function startTestMariaDb(): Promise<TestMariaDb> {
  const server = firstExisting(SERVER_CANDIDATES);
  const install = firstExisting(INSTALL_CANDIDATES);
  if (server === undefined || install === undefined) throw new Error('mariadb-server is not installed (apt-get install -y mariadb-server)');
  const dir = await mkdtemp(join(tmpdir(), 'coffer-mariadb-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'sock');
  const userArg = runningAsRoot() ? ['--user=root'] : [];
  await run(install, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...userArg]);
  const port = await freePort();
  const child: ChildProcess = spawn(
    server,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      `--pid-file=${join(dir, 'pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      '--skip-log-bin',
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=16M',
      '--innodb-flush-log-at-trx-commit=0',
      '--max-connections=300',
      ...userArg,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const user = 'coffer_admin';
  const password = 'Adm1n-' + Math.random().toString(36).slice(2, 12);
  const unhook = onProcessExit(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const cleanup = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
    unhook();
  };
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`mariadbd exited with ${child.exitCode}`);
      const c = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await c.end();
    }, 'MariaDB');
    const root = await mysql.createConnection({ socketPath: socket, user: 'root' });
    try {
      await root.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await root.query(`GRANT ALL PRIVILEGES ON *.* TO '${user}'@'%' WITH GRANT OPTION`);
      await root.query('CREATE DATABASE IF NOT EXISTS app');
    } finally {
      await root.end();
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
  const connect = (u: string, p: string): Promise<mysql.Connection> => mysql.createConnection({ host: '127.0.0.1', port, user: u, password: p, connectTimeout: 5000 });
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dsn: `${user}:${password}@tcp(127.0.0.1:${port})/`,
    templatedDsn: `{{username}}:{{password}}@tcp(127.0.0.1:${port})/`,
    socketPath: socket,
    async query(sql, params = []) {
      const c = await mysql.createConnection({ socketPath: socket, user: 'root' });
      try {
        const [rows] = await c.query(sql, [...params]);
        return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
      } finally {
        await c.end();
      }
    },
    canLogin: (u, p) => answersSelect(() => connect(u, p)),
    close: cleanup,
  };
}
