// `coffer server`: composes storage, core and HTTP listeners from the config (or dev-mode
// defaults), serves until SIGINT/SIGTERM, then shuts down cleanly.

import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Core } from '../core/index.js';
import type { AuditDeviceFactory, BackendFactory } from '../sdk/index.js';
import type { PhysicalBackend } from '../storage/index.js';
import { createCore } from '../core/index.js';
import { createListAwareServer, createRequestHandler } from '../http/index.js';
import type { LogLevel } from '../shared/index.js';
import { CofferError, parseLogLevel, systemClock } from '../shared/index.js';
import type { ListenerConfig, ServerConfig } from './config/index.js';
import { loadServerConfig, sanitizedConfig } from './config/index.js';
import { openPhysical } from './physical.js';
import { createServerLogging } from './logging/index.js';
import { createPrometheusTelemetry, instrumentPhysical, telemetryConfig } from './telemetry/index.js';
import { builtinAuditDevices, builtinRegistry } from './registry.js';

export interface RunServerOptions {
  configPaths: string[];
  dev: boolean;
  devRootTokenId?: string;
  devListenAddress?: string;
  logLevel?: string;
  /** Overrides the config's log_format. */
  logFormat?: 'standard' | 'json';
  /** Dev mode storage: in memory (Vault's behaviour, the default) or a fresh temporary SQLite file. */
  devStorage?: 'inmem' | 'sqlite';
  /** Extra secrets engines by type (tests register test-only engines this way). */
  extraEngines?: Readonly<Record<string, BackendFactory>>;
  /** Extra audit device types (tests register failing or recording devices this way). */
  extraAuditDevices?: Readonly<Record<string, AuditDeviceFactory>>;
}

export interface RunningServer {
  core: Core;
  /** The physical storage under the barrier (tests inspect it: only ciphertext lives there). */
  physical: PhysicalBackend;
  /** Listening addresses, e.g. "127.0.0.1:8200". */
  addresses: string[];
  /** Dev mode only. */
  dev?: { unsealKey: string; rootToken: string };
  close(): Promise<void>;
}

const DEFAULT_TTL = 768 * 3600;
const DEFAULT_MAX_REQUEST_SIZE = 32 * 1024 * 1024;

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i <= 0) throw new CofferError('invalid_request', `invalid listener address ${JSON.stringify(address)}`);
  const host = address.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CofferError('invalid_request', `invalid listener port in ${JSON.stringify(address)}`);
  return { host, port };
}

async function listen(server: Server, address: string): Promise<string> {
  const { host, port } = splitAddress(address);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address();
  return a !== null && typeof a === 'object' ? `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}` : address;
}

function devConfig(opts: RunServerOptions): ServerConfig {
  const listener: ListenerConfig = {
    type: 'tcp',
    address: opts.devListenAddress ?? '127.0.0.1:8200',
    tlsDisable: true,
    maxRequestSize: DEFAULT_MAX_REQUEST_SIZE,
    unauthenticatedMetricsAccess: false,
    file: '<dev>',
    line: 0,
  };
  return {
    storage:
      opts.devStorage === 'sqlite'
        ? { type: 'sqlite', options: { path: join(mkdtempSync(join(tmpdir(), 'coffer-dev-')), 'coffer.db') }, file: '<dev>', line: 0 }
        : { type: 'inmem', options: {}, file: '<dev>', line: 0 },
    rawStorageEndpoint: false,
    listeners: [listener],
    ui: false,
    disableMlock: true,
    // Unlike Vault's dev mode, sys/metrics?format=prometheus works out of the box.
    telemetry: { prometheus_retention_time: '24h' },
    seals: [],
    warnings: [],
  };
}

/** Starts a server and returns once it is listening (and, in dev mode, initialised and unsealed). */
export async function startServer(opts: RunServerOptions, out: { write(s: string): unknown } = process.stdout): Promise<RunningServer> {
  const config = opts.dev ? devConfig(opts) : await loadServerConfig(opts.configPaths);
  const levelName = opts.logLevel ?? config.logLevel ?? 'info';
  const level: LogLevel | undefined = parseLogLevel(levelName);
  if (level === undefined) throw new CofferError('invalid_request', `unknown log level ${JSON.stringify(levelName)}`);
  const { logger, control: logLevels } = createServerLogging(out, level, (opts.logFormat ?? config.logFormat) === 'json' ? 'json' : 'standard');
  for (const w of config.warnings) logger.warn(w);
  if (!config.storage) throw new CofferError('invalid_request', 'a storage stanza is required in the server configuration');
  if (config.listeners.length === 0) throw new CofferError('invalid_request', 'at least one listener stanza is required in the server configuration');

  const physical = await openPhysical(config.storage, logger);
  const telemetry = createPrometheusTelemetry(telemetryConfig(config.telemetry));
  const core = await createCore({
    physical: instrumentPhysical(physical.backend, (op, seconds) => telemetry.observeStorage(op, seconds)),
    telemetry,
    logLevels,
    sanitizedConfig: sanitizedConfig(config, level, (opts.logFormat ?? config.logFormat) === 'json' ? 'json' : 'standard'),
    storageType: physical.type,
    registry: ((r) => ({ engines: { ...r.engines, ...(opts.extraEngines ?? {}) }, auth: r.auth }))(builtinRegistry()),
    clock: systemClock,
    logger: logger.child({ module: 'core' }),
    defaultLeaseTtl: config.defaultLeaseTtl ?? DEFAULT_TTL,
    maxLeaseTtl: config.maxLeaseTtl ?? DEFAULT_TTL,
    ...(config.clusterName !== undefined ? { clusterName: config.clusterName } : {}),
    auditDevices: { ...builtinAuditDevices(), ...(opts.extraAuditDevices ?? {}) },
  });

  telemetry.bindGauges(core.gauges());
  const servers: Server[] = [];
  const addresses: string[] = [];
  try {
    for (const l of config.listeners) {
      const handler = createRequestHandler({
        core,
        logger: logger.child({ module: 'http' }),
        maxRequestSize: l.maxRequestSize,
        unauthenticatedMetrics: l.unauthenticatedMetricsAccess,
      });
      const tls = l.tlsDisable
        ? undefined
        : { cert: await readFile(l.tlsCertFile ?? ''), key: await readFile(l.tlsKeyFile ?? '') };
      const server = createListAwareServer({ requestListener: handler, ...(tls ? { tls } : {}) }) as Server;
      server.keepAliveTimeout = 65_000;
      servers.push(server);
      addresses.push(await listen(server, l.address));
      logger.info({ address: addresses[addresses.length - 1], tls: tls ? 'enabled' : 'disabled' }, 'listener started');
    }
  } catch (e) {
    for (const s of servers) s.close();
    await core.close();
    throw e;
  }

  let dev: RunningServer['dev'];
  if (opts.dev) {
    const { keys, rootToken } = await core.initialize({
      secretShares: 1,
      secretThreshold: 1,
      ...(opts.devRootTokenId !== undefined ? { rootTokenId: opts.devRootTokenId } : {}),
    });
    const unsealKey = Buffer.from(keys[0] ?? new Uint8Array()).toString('base64');
    await core.unseal({ key: unsealKey });
    await core.handleRequest({
      operation: 'update',
      path: 'sys/mounts/secret',
      data: { type: 'kv', description: 'key/value secret storage', options: { version: '2' } },
      token: rootToken,
      remoteAddress: '127.0.0.1',
    });
    dev = { unsealKey, rootToken };
  }

  let closed = false;
  return {
    core,
    physical: physical.backend,
    addresses,
    ...(dev ? { dev } : {}),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
      await core.close();
    },
  };
}

function devBanner(address: string, dev: { unsealKey: string; rootToken: string }): string {
  return [
    'WARNING! dev mode is enabled! In this mode, Coffer runs entirely in-memory',
    'and starts unsealed with a single unseal key. The root token is already',
    'authenticated to the CLI, so you can immediately begin using Coffer.',
    '',
    'You may need to set the following environment variables:',
    '',
    `    $ export VAULT_ADDR='http://${address}'`,
    '',
    'The unseal key and root token are displayed below in case you want to',
    'seal/unseal the Vault or re-authenticate.',
    '',
    `Unseal Key: ${dev.unsealKey}`,
    `Root Token: ${dev.rootToken}`,
    '',
    'Development mode should NOT be used in production installations!',
    '',
  ].join('\n');
}

/** The CLI's entry: runs until a termination signal; returns the exit code. */
export async function runServer(opts: RunServerOptions): Promise<number> {
  let running: RunningServer;
  try {
    running = await startServer(opts);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`Error initializing server: ${msg}\n`);
    return 1;
  }
  if (running.dev) {
    // Like Vault's dev mode, authenticate the CLI on this machine: the token helper file.
    await writeFile(join(homedir(), '.vault-token'), running.dev.rootToken, { mode: 0o600 }).catch(() => undefined);
    process.stdout.write(devBanner(running.addresses[0] ?? '', running.dev));
  }
  process.stdout.write(`==> Coffer server started! Listening on ${running.addresses.join(', ')}\n`);
  return new Promise<number>((resolve) => {
    // SIGHUP reopens audit files, for log rotation.
    const hangup = (): void => {
      running.core.reloadAudit().catch(() => undefined);
    };
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGHUP', hangup);
      process.stdout.write('==> Coffer shutdown triggered\n');
      running.close().then(
        () => resolve(0),
        (e: unknown) => {
          process.stderr.write(`error during shutdown: ${e instanceof Error ? e.message : String(e)}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', hangup);
  });
}
