// Test harness (tests only): an in-memory storage view, a token store on a ManualClock, and a
// tiny pipeline that authenticates, spends uses and dispatches to the auth/token/ backend.

import { randomUUID } from 'node:crypto';
import type { BackendRequest, BackendResponse, Operation, MemoryStorage } from '../../sdk/index.js';
import { createMemoryStorage } from '../../sdk/index.js';
import type { ManualClock } from '../../shared/index.js';
import { createManualClock, permissionDenied, silentLogger } from '../../shared/index.js';
import { attachContext, detachContext } from '../request-context.js';
import { createTokenBackend } from './token-backend.js';
import type { TokenBackendDeps } from './token-backend.js';
import type { TokenEntry } from './token-entry.js';
import type { TokenStore, TokenStoreDeps } from './token-store.js';
import { createTokenStore } from './token-store.js';

export interface Harness {
  clock: ManualClock;
  storage: MemoryStorage;
  store: TokenStore;
  rootToken: string;
  root: TokenEntry;
  revoked: TokenEntry[];
  /** Ttls the store sees; tests may change them. */
  ttls: { defaultLeaseTtl: number; maxLeaseTtl: number };
  /** One request through a miniature pipeline (authenticate → spend a use → dispatch). */
  call(operation: Operation, path: string, data?: Record<string, unknown>, token?: string, remoteAddress?: string): Promise<BackendResponse>;
  /** A fresh store over the same storage and clock, as after a restart. */
  restart(): TokenStore;
}

export const DAY = 24 * 3600;

export async function createHarness(opts: { backend?: TokenBackendDeps; store?: Partial<TokenStoreDeps> } = {}): Promise<Harness> {
  const clock = createManualClock();
  const storage = createMemoryStorage();
  const revoked: TokenEntry[] = [];
  const ttls = { defaultLeaseTtl: 32 * DAY, maxLeaseTtl: 32 * DAY };
  const mkStore = (): TokenStore =>
    createTokenStore({
      storage,
      clock,
      logger: silentLogger,
      systemTtls: () => ({ ...ttls }),
      onRevoke: (e) => {
        revoked.push(e);
        return Promise.resolve();
      },
      ...opts.store,
    });
  const store = mkStore();
  const backend = createTokenBackend(store, opts.backend ?? {});
  const { token: rootToken, entry: root } = await store.createRootToken();
  return {
    clock,
    storage,
    store,
    rootToken,
    root,
    revoked,
    ttls,
    restart: mkStore,
    async call(operation, path, data, token = rootToken, remoteAddress = '127.0.0.1') {
      const entry = await store.lookup(token, { remoteAddress });
      if (!entry) throw permissionDenied();
      const used = await store.use(entry);
      const req: BackendRequest = {
        operation,
        path,
        data,
        storage,
        mountPath: 'auth/token/',
        caller: { accessor: entry.accessor, policies: entry.policies, entityId: entry.entityId, displayName: entry.displayName },
        remoteAddress,
        requestId: randomUUID(),
      };
      attachContext(req, { token, tokenEntry: used.entry });
      if (operation === 'update' && (await backend.existenceCheck(req)) === false) req.operation = 'create';
      try {
        return await backend.handleRequest(req);
      } finally {
        detachContext(req);
        if (used.exhausted) await store.revoke(entry);
      }
    },
  };
}

/** The `auth` of a token-issuing response; fails the test otherwise. */
export function authOf(res: BackendResponse): NonNullable<Extract<BackendResponse, { kind: 'data' }>['auth']> {
  if (res.kind !== 'data' || !res.auth) throw new Error(`expected an auth response, got ${JSON.stringify(res)}`);
  return res.auth;
}

export function dataOf(res: BackendResponse): Record<string, unknown> {
  if (res.kind !== 'data' || res.data === null) throw new Error(`expected data, got ${JSON.stringify(res)}`);
  return res.data;
}
