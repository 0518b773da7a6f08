// In-process Coffer servers for tests: a dev server (unsealed, root token known) on 127.0.0.1
// with an ephemeral port, plus a client bound to it.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditDeviceFactory, BackendFactory } from '../sdk/index.js';
import type { RunningServer } from '../server/index.js';
import { startServer } from '../server/index.js';
import type { RawResponse, RequestOptions } from './http-client.js';
import { rawRequest } from './http-client.js';

export interface TestServer {
  url: string;
  rootToken: string;
  unsealKey: string;
  running: RunningServer;
  /** A request with the root token unless `token` is given. */
  req: (method: string, path: string, opts?: RequestOptions) => Promise<RawResponse>;
  close: () => Promise<void>;
}

export interface ConfiguredServer {
  url: string;
  running: RunningServer;
  /** A request without a token unless `token` is given. */
  req: (method: string, path: string, opts?: RequestOptions) => Promise<RawResponse>;
  close: () => Promise<void>;
}

const quiet = { write: () => true };

export async function startDevServer(
  opts: { extraEngines?: Record<string, BackendFactory>; extraAuditDevices?: Record<string, AuditDeviceFactory> } = {},
): Promise<TestServer> {
  const running = await startServer(
    {
      configPaths: [],
      dev: true,
      devListenAddress: '127.0.0.1:0',
      logLevel: 'error',
      ...(opts.extraEngines ? { extraEngines: opts.extraEngines } : {}),
      ...(opts.extraAuditDevices ? { extraAuditDevices: opts.extraAuditDevices } : {}),
    },
    quiet,
  );
  const url = `http://${running.addresses[0] ?? ''}`;
  const rootToken = running.dev?.rootToken ?? '';
  // Dev mode mounts secret/ as KV v2 (as Vault does); tests also get a KV v1 mount at kv/.
  const mounted = await rawRequest(url, 'POST', '/v1/sys/mounts/kv', { token: rootToken, body: { type: 'kv', options: { version: '1' } } });
  if (mounted.status !== 204) throw new Error(`could not mount kv/ for tests: ${mounted.status} ${mounted.text}`);
  return {
    url,
    rootToken,
    unsealKey: running.dev?.unsealKey ?? '',
    running,
    req: (method, path, opts = {}) => rawRequest(url, method, path, { token: rootToken, ...opts }),
    close: () => running.close(),
  };
}

/** Starts a server from an HCL config text written to a temp file (storage as the caller says). */
export async function startConfiguredServer(configHcl: string): Promise<ConfiguredServer> {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-cfg-'));
  const file = join(dir, 'server.hcl');
  await writeFile(file, configHcl);
  const running = await startServer({ configPaths: [file], dev: false, logLevel: 'error' }, quiet);
  const url = `http://${running.addresses[0] ?? ''}`;
  return { url, running, req: (method, path, opts = {}) => rawRequest(url, method, path, opts), close: () => running.close() };
}
