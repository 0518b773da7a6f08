// The auto-auth methods (approle, kubernetes, jwt, token_file): each turns files on disk into a
// Vault token. Credentials read from files are cached, so a file removed after reading (the
// default for approle secret ids and jwt files) still allows re-authentication.

import { readFile, rm } from 'node:fs/promises';
import type { AuthMethodConfig } from '../config/types.js';
import type { JsonObject, VaultConnection } from '../vault-connection.js';
import { vaultCall } from '../vault-connection.js';

export interface AuthResult {
  token: string;
  /** Seconds the token lives from now; 0 = does not expire. */
  ttlSeconds: number;
  renewable: boolean;
  /** True when `token` is a wrapping token (method wrap_ttl); the agent must not renew it. */
  wrapped: boolean;
}

export interface AuthMethod {
  readonly type: string;
  /** Logs in once. Rejects with a message naming what failed (file, HTTP error). */
  authenticate(): Promise<AuthResult>;
}

export const DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Builds the configured method. */
export function createAuthMethod(cfg: AuthMethodConfig, conn: VaultConnection): AuthMethod {
  const c = cfg.config;
  const login = async (body: JsonObject): Promise<AuthResult> => {
    const headers: Record<string, string> = {};
    if (cfg.wrapTtl !== undefined) headers['X-Vault-Wrap-TTL'] = cfg.wrapTtl;
    if (cfg.namespace !== undefined) headers['X-Vault-Namespace'] = cfg.namespace;
    const res = await vaultCall(conn, 'PUT', `${cfg.mountPath}/login`, { body, headers });
    return resultOf(res, cfg.wrapTtl !== undefined);
  };
  switch (cfg.type) {
    case 'approle': {
      const roleId = cachedFile(str(c, 'role_id_file_path'), false, 'role ID');
      const secretPath = str(c, 'secret_id_file_path');
      const removeSecret = bool(c, 'remove_secret_id_file_after_reading', true);
      const secretId = secretPath === '' ? undefined : cachedFile(secretPath, removeSecret, 'secret ID');
      const wrappingPath = str(c, 'secret_id_response_wrapping_path').replace(/^\/+|\/+$/g, '');
      return {
        type: 'approle',
        async authenticate() {
          const body: JsonObject = { role_id: await roleId.read() };
          if (secretId !== undefined) {
            let sid = await secretId.read();
            if (wrappingPath !== '') sid = await unwrapSecretId(conn, sid, wrappingPath);
            body['secret_id'] = sid;
          }
          return login(body);
        },
      };
    }
    case 'kubernetes': {
      const path = str(c, 'token_path') || DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH;
      const role = str(c, 'role');
      return {
        type: 'kubernetes',
        // The projected token rotates, so it is read anew for every login.
        authenticate: async () => login({ role, jwt: await readTrimmed(path, 'service account token') }),
      };
    }
    case 'jwt': {
      const jwt = cachedFile(str(c, 'path'), bool(c, 'remove_jwt_after_reading', true), 'JWT');
      const role = str(c, 'role');
      return { type: 'jwt', authenticate: async () => login({ role, jwt: await jwt.read() }) };
    }
    case 'token_file': {
      const file = cachedFile(str(c, 'token_file_path'), false, 'token');
      return {
        type: 'token_file',
        async authenticate() {
          const token = await file.read();
          const res = await vaultCall(conn, 'GET', 'auth/token/lookup-self', { token });
          const data = isObject(res['data']) ? res['data'] : {};
          return { token, ttlSeconds: numberOf(data['ttl']), renewable: data['renewable'] === true, wrapped: false };
        },
      };
    }
  }
}

function resultOf(res: JsonObject, wrapped: boolean): AuthResult {
  if (wrapped) {
    const info = isObject(res['wrap_info']) ? res['wrap_info'] : {};
    const token = typeof info['token'] === 'string' ? info['token'] : '';
    if (token === '') throw new Error('login response had no wrap_info.token');
    return { token, ttlSeconds: numberOf(info['ttl']), renewable: false, wrapped: true };
  }
  const auth = isObject(res['auth']) ? res['auth'] : {};
  const token = typeof auth['client_token'] === 'string' ? auth['client_token'] : '';
  if (token === '') throw new Error('login response had no auth.client_token');
  return { token, ttlSeconds: numberOf(auth['lease_duration']), renewable: auth['renewable'] === true, wrapped: false };
}

/** Unwraps a response-wrapped secret id after checking it was wrapped at `expectedPath`. */
async function unwrapSecretId(conn: VaultConnection, wrappingToken: string, expectedPath: string): Promise<string> {
  const lookup = await vaultCall(conn, 'PUT', 'sys/wrapping/lookup', { body: { token: wrappingToken } });
  const data = isObject(lookup['data']) ? lookup['data'] : {};
  const creation = typeof data['creation_path'] === 'string' ? data['creation_path'].replace(/^\/+|\/+$/g, '') : '';
  if (creation !== expectedPath) {
    throw new Error(`secret ID wrapping token was created at ${JSON.stringify(creation)}, expected ${JSON.stringify(expectedPath)}`);
  }
  const res = await vaultCall(conn, 'PUT', 'sys/wrapping/unwrap', { token: wrappingToken });
  const d = isObject(res['data']) ? res['data'] : {};
  if (typeof d['secret_id'] !== 'string' || d['secret_id'] === '') throw new Error('unwrapped response had no secret_id');
  return d['secret_id'];
}

interface CachedFile {
  read(): Promise<string>;
}

/** Reads a credential file; when it is gone or empty, the last value read is used. */
function cachedFile(path: string, removeAfterReading: boolean, what: string): CachedFile {
  let cached: string | undefined;
  return {
    async read() {
      try {
        const value = (await readFile(path, 'utf8')).trim();
        if (value !== '') {
          cached = value;
          if (removeAfterReading) await rm(path, { force: true });
        }
      } catch (e) {
        if (cached === undefined) throw new Error(`error reading ${what} file ${path}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (cached === undefined) throw new Error(`${what} file ${path} is empty`);
      return cached;
    },
  };
}

async function readTrimmed(path: string, what: string): Promise<string> {
  let value: string;
  try {
    value = (await readFile(path, 'utf8')).trim();
  } catch (e) {
    throw new Error(`error reading ${what} file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (value === '') throw new Error(`${what} file ${path} is empty`);
  return value;
}

function str(o: Record<string, unknown>, k: string): string {
  const v = o[k];
  return typeof v === 'string' ? v : '';
}

function bool(o: Record<string, unknown>, k: string, dflt: boolean): boolean {
  const v = o[k];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return ['1', 't', 'true', 'TRUE', 'True', 'T'].includes(v) ? true : ['0', 'f', 'false', 'FALSE', 'False', 'F'].includes(v) ? false : dflt;
  if (typeof v === 'number') return v !== 0;
  return dflt;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function numberOf(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return 0;
}
