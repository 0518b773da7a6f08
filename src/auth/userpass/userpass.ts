// The userpass auth method: users with scrypt-hashed passwords and token settings; a login
// returns a LoginGrant (the core mints the token).

import { randomBytes } from 'node:crypto';
import type { BackendConfig, BackendResponse, LogicalBackend, Storage } from '../../sdk/index.js';
import { createBackend, dataResponse, definePath, getJson, listResponse, noContent, putJson } from '../../sdk/index.js';
import { CofferError, createKeyedMutex } from '../../shared/index.js';
import type { TokenParams } from '../token-fields.js';
import { addressAllowed, applyTokenFields, defaultTokenParams, loginRenewal, parseStoredTokenParams, TOKEN_FIELD_SPECS, tokenGrant, tokenParamsToData } from '../token-fields.js';
import type { PasswordHash } from './password-hash.js';
import { hashPassword, verifyPassword } from './password-hash.js';

interface UserRecord {
  password: PasswordHash;
  token: TokenParams;
}

const USER_PREFIX = 'user/';
const LOGIN_FAILED = 'invalid username or password';

/** Lower-cases and checks a user name: letters, digits, '_', '-', '.'; no leading '-', no leading/trailing '.'. */
function userName(raw: string | undefined): string {
  const name = (raw ?? '').toLowerCase();
  if (!/^[a-z0-9_.-]+$/.test(name) || name.startsWith('-') || name.startsWith('.') || name.endsWith('.')) {
    throw new CofferError('invalid_request', `invalid username ${JSON.stringify(raw ?? '')}`);
  }
  return name;
}

function parseUser(v: unknown): UserRecord | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const pw = o['password'];
  if (pw === null || typeof pw !== 'object') return undefined;
  const p = pw as Record<string, unknown>;
  if (typeof p['salt'] !== 'string' || typeof p['hash'] !== 'string') return undefined;
  return { password: { salt: p['salt'], hash: p['hash'] }, token: parseStoredTokenParams(o['token']) };
}

const loadUser = async (storage: Storage, name: string): Promise<UserRecord | undefined> => parseUser(await getJson(storage, USER_PREFIX + name));

function requirePassword(v: string | undefined): string {
  if (v === undefined || v === '') throw new CofferError('invalid_request', 'missing password');
  return v;
}

/** Builds a userpass backend over the mount's storage. Login paths are unauthenticated. */
export async function createUserpassBackend(config: BackendConfig): Promise<LogicalBackend> {
  const storage = config.storage;
  const locks = createKeyedMutex();
  // Unknown users still cost one scrypt so response time doesn't reveal whether a user exists;
  // made up front so even the first such login costs exactly one.
  const dummyHash = await hashPassword(randomBytes(16).toString('hex'));

  const userFields = { password: { type: 'string' }, ...TOKEN_FIELD_SPECS } as const;

  const backend = createBackend({
    specialPaths: { unauthenticated: ['login/*'] },
    // Renewing a login's token: the user must still exist with the same token policies.
    renewLogin: async (token) => {
      const name = token.metadata['username'] ?? '';
      const user = name === '' ? undefined : await loadUser(storage, name);
      return loginRenewal(user?.token, token, `user ${JSON.stringify(name)}`);
    },
    paths: [
      definePath({
        pattern: 'users/?',
        operations: {
          list: async () => listResponse(await storage.list(USER_PREFIX)),
        },
        help: 'List users.',
      }),
      definePath({
        pattern: 'users/:name/password',
        fields: { password: { type: 'string' } },
        operations: {
          update: async (req) => {
            const name = userName(req.params['name']);
            const password = requirePassword(req.fields.password);
            return locks.run(name, async (): Promise<BackendResponse> => {
              const user = await loadUser(storage, name);
              if (user === undefined) throw new CofferError('invalid_request', 'username does not exist');
              await putJson(storage, USER_PREFIX + name, { ...user, password: await hashPassword(password) });
              return noContent();
            });
          },
        },
        help: "Update a user's password.",
      }),
      definePath({
        pattern: 'users/:name/policies',
        fields: { token_policies: { type: 'comma-list' }, policies: { type: 'comma-list' } },
        operations: {
          update: async (req) => {
            const name = userName(req.params['name']);
            return locks.run(name, async (): Promise<BackendResponse> => {
              const user = await loadUser(storage, name);
              if (user === undefined) throw new CofferError('invalid_request', 'username does not exist');
              await putJson(storage, USER_PREFIX + name, { ...user, token: applyTokenFields(user.token, req) });
              return noContent();
            });
          },
        },
        help: "Update a user's token policies.",
      }),
      definePath({
        pattern: 'users/:name',
        fields: userFields,
        exists: async (req) => (await loadUser(storage, userName(req.params['name']))) !== undefined,
        operations: {
          read: async (req) => {
            const user = await loadUser(storage, userName(req.params['name']));
            return user === undefined ? noContent() : dataResponse(tokenParamsToData(user.token));
          },
          update: async (req) => {
            const name = userName(req.params['name']);
            return locks.run(name, async (): Promise<BackendResponse> => {
              const existing = await loadUser(storage, name);
              const token = applyTokenFields(existing?.token ?? defaultTokenParams(), req);
              let password: PasswordHash;
              if (req.has('password') || existing === undefined) password = await hashPassword(requirePassword(req.fields.password));
              else password = existing.password;
              await putJson(storage, USER_PREFIX + name, { password, token });
              return noContent();
            });
          },
          delete: async (req) => {
            await storage.delete(USER_PREFIX + userName(req.params['name']));
            return noContent();
          },
        },
        help: 'Create, read, update or delete a user.',
      }),
      definePath({
        pattern: 'login/:name',
        fields: { password: { type: 'string' } },
        operations: {
          update: async (req) => {
            const password = req.fields.password ?? '';
            let name: string;
            try {
              name = userName(req.params['name']);
            } catch {
              name = '';
            }
            const user = name === '' ? undefined : await loadUser(storage, name);
            const ok = await verifyPassword(password, user?.password ?? dummyHash);
            if (user === undefined || !ok || !addressAllowed(user.token.boundCidrs, req.remoteAddress)) {
              throw new CofferError('invalid_request', LOGIN_FAILED);
            }
            const metadata = { username: name };
            const grant = tokenGrant(user.token, { metadata, displayName: name, alias: { name, metadata } });
            return { kind: 'data', data: null, grant };
          },
        },
        help: 'Log in with a username and password.',
      }),
    ],
  });
  return backend;
}
