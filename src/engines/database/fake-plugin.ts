// An in-memory database plugin for engine tests that need no server: it keeps users and the
// root password, records every call, and can be told to fail.

import type { DatabaseDriver, DatabasePlugin, DriverOptions } from './driver.js';
import { DatabaseError } from './driver.js';

export interface FakeDatabase {
  rootPassword: string;
  users: Map<string, { password: string; expiration?: number }>;
  /** Every driver call: "<method> <username> [statements…]". */
  calls: string[];
  /** Pools opened and not closed. */
  openPools: number;
  /** While true every call fails as if the server were down. */
  down: boolean;
  /** Fails the next N setPassword calls (after recording them). */
  failSetPassword: number;
  /** Passwords each setPassword call used, in order. */
  passwordsSet: string[];
  /** Runs when a setPassword call is made to fail (e.g. to apply it anyway, or take the server down). */
  afterFailedSetPassword?: (username: string, password: string) => void;
}

export function createFakeDatabase(rootUser: string, rootPassword: string): { db: FakeDatabase; plugin: DatabasePlugin } {
  const db: FakeDatabase = { rootPassword, users: new Map(), calls: [], openPools: 0, down: false, failSetPassword: 0, passwordsSet: [] };
  const plugin: DatabasePlugin = {
    name: 'fake-database-plugin',
    defaultUsernameTemplate: '{{ printf "v-%s-%s" .RoleName (random 6) }}',
    open(opts: DriverOptions): DatabaseDriver {
      db.openPools++;
      let closed = false;
      const check = (): void => {
        if (closed) throw new DatabaseError('pool is closed');
        if (db.down) throw new DatabaseError('connect ECONNREFUSED');
        if (opts.username !== rootUser || opts.password !== db.rootPassword) throw new DatabaseError(`password authentication failed for user "${opts.username}"`);
      };
      return {
        async verifyConnection() {
          check();
        },
        async createUser({ username, password, expiration, statements }) {
          check();
          db.calls.push(`create ${username} ${statements.join('|')}`);
          if (statements.length === 0) throw new DatabaseError('empty creation statements');
          if (statements.some((s) => s.includes('FAIL'))) throw new DatabaseError('statement failed');
          db.users.set(username, { password, expiration });
        },
        async renewUser({ username, expiration }) {
          check();
          db.calls.push(`renew ${username}`);
          const u = db.users.get(username);
          if (u) u.expiration = expiration;
        },
        async revokeUser({ username, statements }) {
          check();
          db.calls.push(`revoke ${username} ${statements.join('|')}`);
          db.users.delete(username);
        },
        async setPassword({ username, password }) {
          check();
          db.calls.push(`set-password ${username}`);
          db.passwordsSet.push(password);
          if (db.failSetPassword > 0) {
            db.failSetPassword--;
            db.afterFailedSetPassword?.(username, password);
            throw new DatabaseError('lost connection during query');
          }
          if (username === rootUser) db.rootPassword = password;
          else db.users.set(username, { ...db.users.get(username), password });
        },
        async close() {
          if (!closed) db.openPools--;
          closed = true;
        },
      };
    },
  };
  return { db, plugin };
}
