// apiClientFromEnv: builds a client from the VAULT_* environment variables the vault CLI reads,
// with the token falling back to ~/.vault-token.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseGoBool } from '../shared/index.js';
import { createApiClient } from './client.js';
import type { ApiClient, ApiClientOptions } from './client.js';

export type Env = Record<string, string | undefined>;

/** Vault's default address when VAULT_ADDR is unset. */
export const defaultAddress = 'https://127.0.0.1:8200';

/**
 * Resolves client options from the environment: VAULT_ADDR (default https://127.0.0.1:8200),
 * VAULT_TOKEN else the trimmed contents of $HOME/.vault-token, VAULT_CACERT (a PEM file path),
 * VAULT_SKIP_VERIFY (Go ParseBool; unparsable counts as false), VAULT_NAMESPACE, VAULT_WRAP_TTL.
 * Throws an Error when VAULT_CACERT names an unreadable file.
 */
export function apiOptionsFromEnv(env: Env = process.env): ApiClientOptions {
  const opts: ApiClientOptions = { address: nonEmpty(env['VAULT_ADDR']) ?? defaultAddress };
  const token = nonEmpty(env['VAULT_TOKEN']) ?? readTokenFile(env);
  if (token !== undefined) opts.token = token;
  const caPath = nonEmpty(env['VAULT_CACERT']);
  if (caPath !== undefined) opts.caCert = fs.readFileSync(caPath);
  const skip = nonEmpty(env['VAULT_SKIP_VERIFY']);
  if (skip !== undefined && parseGoBool(skip) === true) opts.skipVerify = true;
  const ns = nonEmpty(env['VAULT_NAMESPACE']);
  if (ns !== undefined) opts.namespace = ns;
  const wrapTTL = nonEmpty(env['VAULT_WRAP_TTL']);
  if (wrapTTL !== undefined) opts.wrapTTL = wrapTTL;
  return opts;
}

/** createApiClient(apiOptionsFromEnv(env)). */
export function apiClientFromEnv(env: Env = process.env): ApiClient {
  return createApiClient(apiOptionsFromEnv(env));
}

/** The path of the token helper file: $HOME/.vault-token (HOME from `env`, else the OS home). */
export function tokenFilePath(env: Env = process.env): string {
  return path.join(nonEmpty(env['HOME']) ?? os.homedir(), '.vault-token');
}

function readTokenFile(env: Env): string | undefined {
  try {
    return nonEmpty(fs.readFileSync(tokenFilePath(env), 'utf8').trim());
  } catch {
    return undefined;
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
