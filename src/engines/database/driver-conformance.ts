// The conformance suite every DatabaseDriver passes against a real server: a test file supplies
// the plugin, root credentials and probes (can this user log in, does it exist).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { DatabaseDriver, DatabasePlugin, DriverOptions } from './driver.js';

export interface ConformanceFixture {
  plugin: DatabasePlugin;
  /** Options for the root (admin) connection. */
  rootOptions: DriverOptions;
  /** Statements that create a user who can log in (with placeholders). */
  creationStatements: string[];
  /** Custom revocation statements for the same kind of user. */
  revocationStatements: string[];
  canLogin(user: string, password: string): Promise<boolean>;
  userExists(user: string): Promise<boolean>;
  /** The user's expiry (ms) as the database records it, for databases that have one. */
  validUntil?(user: string): Promise<number | undefined>;
  /** Creates a user directly as the admin (for static-role style password changes). */
  createPlainUser(user: string, password: string): Promise<void>;
  /** Changes a user's password directly as the admin (to restore the root password). */
  resetPassword(user: string, password: string): Promise<void>;
}

const uniq = (p: string): string => `${p}${randomBytes(4).toString('hex')}`;
const HOUR = 3600_000;

/** Declares the suite; `setup` runs once before the tests, `teardown` after. */
export function describeDriverConformance(title: string, setup: () => Promise<ConformanceFixture>, teardown: () => Promise<void>): void {
  describe(`database driver conformance: ${title}`, () => {
    let fx: ConformanceFixture;
    let driver: DatabaseDriver;
    before(async () => {
      fx = await setup();
      driver = fx.plugin.open(fx.rootOptions);
    });
    after(async () => {
      await driver?.close();
      await teardown();
    });

    it('verifies a working connection', async () => {
      await driver.verifyConnection();
    });

    it('reports a failed login without the password it tried', async () => {
      const wrong = 'Wr0ng-' + randomBytes(6).toString('hex');
      const bad = fx.plugin.open({ ...fx.rootOptions, password: wrong, connectTimeoutMs: 5000 });
      try {
        await assert.rejects(bad.verifyConnection(), (e: Error) => {
          assert.equal(e.name, 'DatabaseError');
          assert.ok(!e.message.includes(wrong), e.message);
          assert.ok(!e.message.includes(fx.rootOptions.password), e.message);
          return true;
        });
      } finally {
        await bad.close();
      }
    });

    it('creates a user who can log in with the given password', async () => {
      const u = uniq('conf_c_');
      await driver.createUser({ username: u, password: 'Pw-create-1', expiration: Date.now() + HOUR, statements: fx.creationStatements });
      assert.equal(await fx.userExists(u), true);
      assert.equal(await fx.canLogin(u, 'Pw-create-1'), true);
      assert.equal(await fx.canLogin(u, 'other'), false);
      await driver.revokeUser({ username: u, statements: [] });
    });

    it('refuses to create a user without creation statements', async () => {
      await assert.rejects(driver.createUser({ username: uniq('conf_e_'), password: 'x', expiration: Date.now() + HOUR, statements: [] }), /empty creation statements/);
    });

    it('keeps the new password out of the error of a failing creation statement', async () => {
      const pw = 'Secr3t-' + randomBytes(6).toString('hex');
      await assert.rejects(
        driver.createUser({ username: uniq('conf_f_'), password: pw, expiration: Date.now() + HOUR, statements: ["CREATE BOGUS THING '{{password}}' {{password}}"] }),
        (e: Error) => {
          assert.ok(!e.message.includes(pw), e.message);
          return true;
        },
      );
    });

    it('revokes with the default statements: the user is gone and login fails; a second revoke succeeds', async () => {
      const u = uniq('conf_r_');
      await driver.createUser({ username: u, password: 'Pw-revoke-1', expiration: Date.now() + HOUR, statements: fx.creationStatements });
      await driver.revokeUser({ username: u, statements: [] });
      assert.equal(await fx.userExists(u), false);
      assert.equal(await fx.canLogin(u, 'Pw-revoke-1'), false);
      await driver.revokeUser({ username: u, statements: [] });
    });

    it('revokes with custom statements', async () => {
      const u = uniq('conf_s_');
      await driver.createUser({ username: u, password: 'Pw-custom-1', expiration: Date.now() + HOUR, statements: fx.creationStatements });
      await driver.revokeUser({ username: u, statements: fx.revocationStatements });
      assert.equal(await fx.userExists(u), false);
    });

    it('renews a user (moving its expiry where the database has one)', async () => {
      const u = uniq('conf_n_');
      const t0 = Date.now() + HOUR;
      await driver.createUser({ username: u, password: 'Pw-renew-1', expiration: t0, statements: fx.creationStatements });
      await driver.renewUser({ username: u, expiration: t0 + 5 * HOUR, statements: [] });
      if (fx.validUntil) {
        const until = await fx.validUntil(u);
        assert.ok(until !== undefined && Math.abs(until - (t0 + 5 * HOUR)) < 2000, `valid until ${String(until)}`);
      }
      assert.equal(await fx.canLogin(u, 'Pw-renew-1'), true);
      await driver.revokeUser({ username: u, statements: [] });
    });

    it('changes a password: the new one works and the old one no longer does', async () => {
      const u = uniq('conf_p_');
      await fx.createPlainUser(u, 'Old-pass-1');
      await driver.setPassword({ username: u, password: 'New-pass-2', statements: [] });
      assert.equal(await fx.canLogin(u, 'New-pass-2'), true);
      assert.equal(await fx.canLogin(u, 'Old-pass-1'), false);
      await driver.revokeUser({ username: u, statements: [] });
    });

    it("changes the root user's own password, after which a pool with the new one works", async () => {
      const root = fx.rootOptions.username;
      const old = fx.rootOptions.password;
      const next = 'Root-' + randomBytes(8).toString('hex');
      await driver.setPassword({ username: root, password: next, statements: [] });
      try {
        assert.equal(await fx.canLogin(root, old), false);
        const fresh = fx.plugin.open({ ...fx.rootOptions, password: next });
        try {
          await fresh.verifyConnection();
        } finally {
          await fresh.close();
        }
      } finally {
        await fx.resetPassword(root, old);
      }
    });

    it('rejects calls after close', async () => {
      const d = fx.plugin.open(fx.rootOptions);
      await d.verifyConnection();
      await d.close();
      await assert.rejects(d.verifyConnection());
    });
  });
}
