// config/<name>, reset/<name>, rotate-root/<name>: database connections. The root password is
// stored but never returned; rotate-root changes it in the database and then here.

import { definePath, listResponse, noContent, putJson } from '../../sdk/index.js';
import type { PathRequest } from '../../sdk/index.js';
import { CofferError, formatGoDuration } from '../../shared/index.js';
import { redactConnectionUrl } from './connection-url.js';
import { driverOptions } from './connections.js';
import type { EngineContext } from './context.js';
import { databaseFailure } from './driver.js';
import type { DbConfigRecord } from './records.js';
import { CONFIG_PREFIX, ROOT_WAL_PREFIX, loadConfig, loadPasswordWal, saveConfig, statementList } from './records.js';
import { parseUsernameTemplate } from './username-template.js';

const configFields = {
  plugin_name: { type: 'string' },
  plugin_version: { type: 'string' },
  verify_connection: { type: 'bool', default: true },
  allowed_roles: { type: 'comma-list' },
  root_rotation_statements: { type: 'any' },
  password_policy: { type: 'string' },
  connection_url: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  max_open_connections: { type: 'int' },
  max_idle_connections: { type: 'int' },
  max_connection_lifetime: { type: 'duration' },
  username_template: { type: 'string' },
  disable_escaping: { type: 'bool' },
  password_authentication: { type: 'string' },
  // Accepted for compatibility; TLS client certificates are not supported yet.
  tls_certificate_key: { type: 'string' },
  tls_ca: { type: 'string' },
} as const;

type ConfigFields = typeof configFields;

const nameOf = (req: { params: Readonly<Record<string, string>> }): string => req.params['name'] ?? '';

/** The read-back shape: Vault's, with the password removed and literal URL passwords masked. */
export function configView(c: DbConfigRecord): Record<string, unknown> {
  const details: Record<string, unknown> = {
    connection_url: redactConnectionUrl(c.connection_url),
    username: c.username,
    max_open_connections: c.max_open_connections,
    max_idle_connections: c.max_idle_connections,
    max_connection_lifetime: formatGoDuration(c.max_connection_lifetime),
  };
  if (c.username_template !== '') details['username_template'] = c.username_template;
  if (c.disable_escaping) details['disable_escaping'] = true;
  if (c.plugin_name === 'postgresql-database-plugin') details['password_authentication'] = c.password_authentication;
  return {
    plugin_name: c.plugin_name,
    plugin_version: c.plugin_version,
    connection_details: details,
    allowed_roles: c.allowed_roles,
    root_credentials_rotate_statements: c.root_rotation_statements,
    password_policy: c.password_policy,
    verify_connection: c.verify_connection,
  };
}

function merge(req: PathRequest<ConfigFields>, prev: DbConfigRecord | undefined): DbConfigRecord {
  const f = req.fields;
  const pick = <K extends keyof DbConfigRecord>(k: K, sent: DbConfigRecord[K] | undefined, d: DbConfigRecord[K]): DbConfigRecord[K] =>
    sent !== undefined ? sent : prev ? prev[k] : d;
  const rotation = req.has('root_rotation_statements') ? statementList(f.root_rotation_statements, 'root_rotation_statements') : undefined;
  return {
    plugin_name: pick('plugin_name', f.plugin_name, ''),
    plugin_version: pick('plugin_version', f.plugin_version, ''),
    connection_url: pick('connection_url', f.connection_url, ''),
    username: pick('username', f.username, ''),
    password: pick('password', f.password, ''),
    allowed_roles: pick('allowed_roles', f.allowed_roles, []),
    verify_connection: f.verify_connection,
    max_open_connections: pick('max_open_connections', f.max_open_connections, 4),
    max_idle_connections: pick('max_idle_connections', f.max_idle_connections, 0),
    max_connection_lifetime: pick('max_connection_lifetime', f.max_connection_lifetime, 0),
    password_policy: pick('password_policy', f.password_policy, ''),
    username_template: pick('username_template', f.username_template, ''),
    root_rotation_statements: pick('root_rotation_statements', rotation, []),
    disable_escaping: pick('disable_escaping', f.disable_escaping, false),
    password_authentication: pick('password_authentication', f.password_authentication, 'password'),
  };
}

function validate(c: DbConfigRecord, ctx: EngineContext): void {
  if (c.plugin_name === '') throw new CofferError('invalid_request', 'plugin_name is required');
  if (!ctx.plugins.has(c.plugin_name)) throw new CofferError('invalid_request', `error creating database object: unknown plugin_name ${JSON.stringify(c.plugin_name)}; supported: ${[...ctx.plugins.keys()].sort().join(', ')}`);
  if (c.connection_url === '') throw new CofferError('invalid_request', 'error creating database object: connection_url cannot be empty');
  if (c.max_open_connections <= 0) throw new CofferError('invalid_request', 'max_open_connections must be positive');
  if (c.max_connection_lifetime < 0) throw new CofferError('invalid_request', 'max_connection_lifetime must not be negative');
  if (c.username_template !== '') parseUsernameTemplate(c.username_template);
  if (c.password_authentication !== 'password' && c.password_authentication !== 'scram-sha-256') {
    throw new CofferError('invalid_request', 'password_authentication must be "password" or "scram-sha-256"');
  }
}

const literalPasswordInUrl = (url: string): boolean => redactConnectionUrl(url) !== url;

/** `recovery` settles root rotations whose outcome was unknown (the database failed mid-way). */
export function configPaths(ctx: EngineContext, recovery: { settleRoot(name: string): void }) {
  const storage = ctx.backend.storage;
  return [
    definePath({
      pattern: 'config/?',
      operations: { list: async () => listResponse(await storage.list(CONFIG_PREFIX)) },
    }),
    definePath({
      pattern: 'config/:name',
      fields: configFields,
      exists: async (req) => (await loadConfig(storage, nameOf(req))) !== undefined,
      operations: {
        read: async (req) => {
          const c = await loadConfig(storage, nameOf(req));
          return c ? { kind: 'data', data: configView(c) } : { kind: 'none' };
        },
        update: async (req) => {
          const name = nameOf(req);
          return ctx.locks.run(`config:${name}`, async () => {
            const prev = await loadConfig(storage, name);
            const next = merge(req, prev);
            validate(next, ctx);
            const driver = ctx.connections.open(next);
            if (next.verify_connection) {
              try {
                await driver.verifyConnection();
              } catch (e) {
                await driver.close().catch(() => undefined);
                const why = databaseFailure('error verifying connection', e).message;
                throw new CofferError('invalid_request', `error creating database object: ${why}`);
              }
            }
            await saveConfig(storage, name, next);
            await ctx.connections.adopt(name, driver, next);
            const warnings: string[] = [];
            if (literalPasswordInUrl(next.connection_url)) {
              warnings.push('Password found in connection_url, use a templated url to enable root rotation and prevent read access to password information.');
            }
            if (req.has('tls_certificate_key') || req.has('tls_ca')) warnings.push('tls_certificate_key and tls_ca are not supported and were ignored');
            return noContent(warnings);
          });
        },
        delete: async (req) => {
          const name = nameOf(req);
          return ctx.locks.run(`config:${name}`, async () => {
            await storage.delete(CONFIG_PREFIX + name);
            await ctx.connections.reset(name);
            return noContent();
          });
        },
      },
    }),
    definePath({
      pattern: 'reset/:name',
      operations: {
        update: async (req) => {
          const name = nameOf(req);
          if (!(await loadConfig(storage, name))) throw new CofferError('invalid_request', `no database connection named ${JSON.stringify(name)}`);
          await ctx.connections.reset(name);
          return noContent();
        },
      },
    }),
    definePath({
      pattern: 'rotate-root/:name',
      operations: { update: async (req) => rotateRoot(ctx, nameOf(req), recovery) },
    }),
  ];
}

/**
 * Sets a new root password in the database, then stores it. A write-ahead record holds the new
 * password meanwhile, so a crash in between is settled at the next start (recoverRootRotation).
 */
async function rotateRoot(ctx: EngineContext, name: string, recovery: { settleRoot(name: string): void }): Promise<{ kind: 'none' }> {
  const storage = ctx.backend.storage;
  return ctx.locks.run(`config:${name}`, async () => {
    const config = await loadConfig(storage, name);
    if (!config) throw new CofferError('invalid_request', `no database connection named ${JSON.stringify(name)}`);
    if (config.username === '') throw new CofferError('invalid_request', 'unable to rotate root credentials: no username in configuration');
    if (literalPasswordInUrl(config.connection_url)) {
      throw new CofferError('invalid_request', 'unable to rotate root credentials: use a templated connection_url ({{username}} and {{password}}) instead of a literal password');
    }
    const password = await ctx.backend.system.generatePassword(config.password_policy || undefined);
    const walKey = ROOT_WAL_PREFIX + name;
    await putJson(storage, walKey, { password, created: ctx.clock.now() });
    const { driver } = await ctx.connections.get(name);
    try {
      await driver.setPassword({ username: config.username, password, statements: config.root_rotation_statements });
    } catch (e) {
      // The change may have landed even though the call failed: settle it now.
      const outcome = await settleRootRotation(ctx, name);
      if (outcome === 'unknown') recovery.settleRoot(name);
      if (outcome !== 'adopted') throw databaseFailure('failed to rotate root credentials', e);
      return { kind: 'none' };
    }
    const next = { ...config, password };
    await saveConfig(storage, name, next);
    await storage.delete(walKey);
    await ctx.connections.reset(name);
    return { kind: 'none' };
  });
}

/**
 * Settles a root rotation that may or may not have reached the database: adopts the new
 * password when it works, drops the record when the old one still works, and otherwise leaves
 * the record for a later attempt ('unknown': the database is unreachable).
 */
export async function settleRootRotation(ctx: EngineContext, name: string): Promise<'adopted' | 'discarded' | 'unknown'> {
  const storage = ctx.backend.storage;
  const walKey = ROOT_WAL_PREFIX + name;
  const wal = await loadPasswordWal(storage, walKey);
  const config = await loadConfig(storage, name);
  if (!wal || !config) {
    await storage.delete(walKey);
    return 'discarded';
  }
  const works = async (password: string): Promise<boolean> => {
    const plugin = ctx.plugins.get(config.plugin_name);
    if (!plugin) return false;
    const d = plugin.open({ ...driverOptions(config, password), maxOpenConnections: 1 });
    try {
      await d.verifyConnection();
      return true;
    } catch {
      return false;
    } finally {
      await d.close().catch(() => undefined);
    }
  };
  if (await works(wal.password)) {
    await saveConfig(storage, name, { ...config, password: wal.password });
    await storage.delete(walKey);
    await ctx.connections.reset(name);
    return 'adopted';
  }
  if (await works(config.password)) {
    await storage.delete(walKey);
    return 'discarded';
  }
  return 'unknown';
}
