// The token store: creates, looks up, spends, renews and revokes tokens under Vault's rules.
// Service tokens persist through token-records.ts; batch tokens are sealed into the token
// itself; roles live under roles/<name>.

import type { Storage } from '../../sdk/index.js';
import { getJson, putJson } from '../../sdk/index.js';
import type { Clock, Logger } from '../../shared/index.js';
import { CofferError, permissionDenied } from '../../shared/index.js';
import { decodeBatchToken, encodeBatchToken } from './batch-token.js';
import type { BatchBody } from './batch-token.js';
import { addressAllowed } from './bound-cidrs.js';
import type { CreateContext, CreateTokenParams } from './token-create.js';
import { planCreate } from './token-create.js';
import type { StoredToken, TokenEntry } from './token-entry.js';
import { parseStoredToken, toEntry } from './token-entry.js';
import type { GrantContext, TokenGrant } from './token-grant.js';
import { planGrant } from './token-grant.js';
import { BATCH_PREFIX, newAccessor, newServiceTokenId, safeEqual } from './token-ids.js';
import { createTokenRecords } from './token-records.js';
import type { RoleWrite, TokenRole } from './token-role.js';
import { applyRoleWrite, defaultRole, normalizeRoleName, parseStoredRole } from './token-role.js';
import type { TidyReport } from './token-tidy.js';
import { tidyTokens } from './token-tidy.js';
import { calculateTtl } from './token-ttl.js';

/** The rejection an async function would produce for a caught error (non-Errors get wrapped). */
const rejection = (e: unknown): Promise<never> => Promise.reject(e instanceof Error ? e : new Error(String(e)));

export interface TokenStoreDeps {
  /** The store's barrier view (sys/token/). */
  storage: Storage;
  clock: Clock;
  logger: Logger;
  /** Effective TTLs of the auth/token mount, in seconds. */
  systemTtls: () => { defaultLeaseTtl: number; maxLeaseTtl: number };
  /** Called for every service token being revoked (children first), before its record is deleted. */
  onRevoke?: (entry: TokenEntry) => Promise<void>;
  /** Called after a service token is persisted; if it throws, the token is revoked again. */
  onCreate?: (entry: TokenEntry) => Promise<void>;
  /** Called after a renewal moved a token's expiry. */
  onRenew?: (entry: TokenEntry) => Promise<void>;
  /**
   * Asked before a renewal: the limits of the user or role behind the login that issued the
   * token (seconds, 0 = keep the token's own), or undefined when that auth method has no say.
   * Throws to refuse the renewal (the user or role is gone, its policies changed).
   */
  loginRenewal?: (entry: TokenEntry) => Promise<{ ttl: number; maxTtl: number; period: number } | undefined>;
  /** Maps a role's entity alias to an entity id (identity store); without it aliases are refused. */
  resolveEntityAlias?: (alias: string, role: string) => Promise<string>;
  /** Entries kept in memory; default 10000. */
  cacheSize?: number;
}

export interface IssuedToken {
  token: string;
  entry: TokenEntry;
  warnings: string[];
}

export interface TokenUse {
  /** The entry as it stands for the rest of this request (numUses -1 on the last use). */
  entry: TokenEntry;
  /** This was the last use: revoke the token once the request is done. */
  exhausted: boolean;
}

export interface RenewResult {
  entry: TokenEntry;
  /** seconds granted */
  ttl: number;
  warnings: string[];
}

export interface TokenStore {
  /** A non-expiring orphan root token (init, generate-root, dev mode). */
  createRootToken(opts?: { id?: string; displayName?: string }): Promise<IssuedToken>;
  /** A child of `parent` under Vault's rules (see token-create.ts); invalid_request on violations. */
  create(parent: TokenEntry, params: CreateTokenParams, ctx: CreateContext): Promise<IssuedToken>;
  /** An orphan token for an auth method's login grant. */
  createFromGrant(grant: TokenGrant, ctx: GrantContext): Promise<IssuedToken>;
  /** The live entry for a presented token: undefined when unknown, expired, revoked, used up or CIDR-bound elsewhere. */
  lookup(token: string, opts?: { remoteAddress?: string }): Promise<TokenEntry | undefined>;
  lookupAccessor(accessor: string): Promise<TokenEntry | undefined>;
  /** Spends one use of a limited-use token; permission_denied when none is left. */
  use(entry: TokenEntry): Promise<TokenUse>;
  /** Renews by `increment` seconds (0 = the token's TTL); invalid_request when not renewable. */
  renew(entry: TokenEntry, increment: number): Promise<RenewResult>;
  /** Revokes the token and its whole subtree (children first), calling onRevoke for each. */
  revoke(entry: TokenEntry): Promise<void>;
  /**
   * Expiry-driven revocation by id hash (the expiration manager's timer): revokes the token's tree
   * if it has expired, reports the new expiry if it was renewed meanwhile, or that it is gone.
   */
  expire(idHash: string): Promise<{ kind: 'gone' } | { kind: 'extended'; expireTime: number } | { kind: 'revoked' }>;
  /** Revokes a token's tree by id hash, whatever its expiry (lease revocation, auth mount removal). */
  revokeById(idHash: string): Promise<void>;
  /** Revokes only the token; its children become orphans. */
  revokeOrphan(entry: TokenEntry): Promise<void>;
  listAccessors(): Promise<string[]>;
  /** Removes dangling indexes and revokes expired, used-up, half-revoked and parentless tokens. */
  tidy(): Promise<TidyReport>;
  /** Stored (service) tokens, for sys/internal/counters/tokens. O(tokens): an admin call. */
  countServiceTokens(): Promise<number>;
  /** Remaining seconds of the token; 0 for non-expiring ones. */
  ttlOf(entry: TokenEntry): number;
  readRole(name: string): Promise<TokenRole | undefined>;
  /** Creates or updates (only the given fields) a role. */
  writeRole(name: string, write: RoleWrite): Promise<TokenRole>;
  deleteRole(name: string): Promise<void>;
  listRoles(): Promise<string[]>;
  /** Forgets all key material and cached entries (on seal). */
  reset(): void;
}

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);
/** Batch tokens carry their record, so allow room beyond service ids. */
const MAX_TOKEN_LENGTH = 16384;

export function createTokenStore(deps: TokenStoreDeps): TokenStore {
  const { storage, clock, logger } = deps;
  const records = createTokenRecords({
    storage,
    clock,
    ...(deps.onRevoke ? { onRevoke: deps.onRevoke } : {}),
    ...(deps.cacheSize !== undefined ? { cacheSize: deps.cacheSize } : {}),
  });
  const hash = (value: string): Promise<string> => records.hash(value);
  const lock = records.lock;
  let tidying: Promise<TidyReport> | undefined;

  const saveService = async (token: string, body: BatchBody, mustBeNew: boolean): Promise<TokenEntry> => {
    const idHash = await hash(token);
    if (mustBeNew && (await storage.get(`id/${idHash}`)) !== undefined) {
      throw bad('cannot create a token with a duplicate ID');
    }
    const stored: StoredToken = { idHash, accessor: newAccessor(), ...body, status: 'active' };
    const entry = toEntry(stored);
    // The record and its expiry registration are written together, so they share a group commit.
    // An expiry registered for a token whose record failed is harmless: at expiry it finds nothing.
    const [inserted, registered] = await Promise.allSettled([records.insert(stored), deps.onCreate ? deps.onCreate(entry) : Promise.resolve()]);
    const revokeQuietly = (): Promise<void> =>
      records.revokeTree(idHash).then(
        () => undefined,
        (err: unknown) => logger.error({ error: err instanceof Error ? err.message : String(err) }, 'revoking an unregistered token failed'),
      );
    if (inserted.status === 'rejected') {
      await revokeQuietly();
      throw inserted.reason;
    }
    if (registered.status === 'rejected') {
      // A token whose expiry could not be registered must not outlive the failure.
      await revokeQuietly();
      throw registered.reason;
    }
    if (stored.parent !== '' && !(await records.live(stored.parent))) {
      // The parent was revoked while this child was being written: the tree walk may have missed it.
      await records.revokeTree(idHash);
      throw permissionDenied();
    }
    return entry;
  };

  const issueBatch = async (body: BatchBody): Promise<{ token: string; entry: TokenEntry }> => {
    const token = encodeBatchToken(await records.batchKey(), body);
    return { token, entry: { idHash: await hash(token), accessor: '', ...body } };
  };

  const lookupBatch = async (token: string): Promise<TokenEntry | undefined> => {
    const body = decodeBatchToken(await records.batchKey(), token);
    if (!body) return undefined;
    const s = parseStoredToken({ ...body, idHash: await hash(token), accessor: '', status: 'active' });
    if (!s || s.type !== 'batch') return undefined;
    if (s.expireTime !== 0 && clock.now() >= s.expireTime) return undefined;
    // A batch child lives only as long as its (service) parent.
    if (s.parent !== '' && !(await records.live(s.parent))) return undefined;
    return toEntry(s);
  };

  const lookupService = async (token: string, knownHash: string | undefined): Promise<TokenEntry | undefined> => {
    const idHash = knownHash ?? (await hash(token));
    const s = await records.live(idHash);
    if (!s) return undefined;
    if (knownHash === undefined) records.rememberHash(token, idHash);
    return toEntry(s);
  };

  const store: TokenStore = {
    async createRootToken(opts = {}) {
      const token = opts.id ?? newServiceTokenId();
      if (token === '' || token.length > MAX_TOKEN_LENGTH) throw bad('invalid token id');
      const now = clock.now();
      const entry = await saveService(
        token,
        {
          parent: '',
          policies: ['root'],
          path: 'auth/token/root',
          meta: null,
          displayName: opts.displayName ?? 'root',
          numUses: 0,
          creationTime: now,
          ttl: 0,
          explicitMaxTtl: 0,
          maxTtl: 0,
          period: 0,
          renewable: false,
          orphan: true,
          type: 'service',
          role: '',
          entityId: '',
          boundCidrs: [],
          lastRenewal: 0,
          expireTime: 0,
          namespace: 'root',
        },
        opts.id !== undefined,
      );
      return { token, entry, warnings: [] };
    },

    async create(parent, params, ctx) {
      const role = ctx.roleName !== undefined && ctx.roleName !== '' ? await store.readRole(ctx.roleName) : undefined;
      if (ctx.roleName !== undefined && ctx.roleName !== '' && !role) throw bad(`unknown role ${ctx.roleName}`);
      const sys = deps.systemTtls();
      const plan = planCreate(parent, params, role, ctx, { nowMs: clock.now(), defaultTtl: sys.defaultLeaseTtl, maxTtl: sys.maxLeaseTtl });
      let body = plan.body;
      if (plan.entityAlias !== undefined) {
        if (!deps.resolveEntityAlias) throw bad('entity aliases are not supported');
        body = { ...body, entityId: await deps.resolveEntityAlias(plan.entityAlias, role?.name ?? '') };
      }
      if (body.type === 'batch') return { ...(await issueBatch(body)), warnings: plan.warnings };
      const token = plan.customId ?? newServiceTokenId();
      if (token.length > MAX_TOKEN_LENGTH) throw bad('token id is too long');
      const entry = await saveService(token, body, plan.customId !== undefined);
      return { token, entry, warnings: plan.warnings };
    },

    async createFromGrant(grant, ctx) {
      const { body, warnings } = planGrant(grant, ctx, { nowMs: clock.now(), tokenDefaultTtl: deps.systemTtls().defaultLeaseTtl });
      if (body.type === 'batch') return { ...(await issueBatch(body)), warnings };
      const token = newServiceTokenId();
      return { token, entry: await saveService(token, body, false), warnings };
    },

    lookup(token, opts = {}) {
      const allowed = (entry: TokenEntry | undefined): TokenEntry | undefined =>
        entry && opts.remoteAddress !== undefined && !addressAllowed(entry.boundCidrs, opts.remoteAddress) ? undefined : entry;
      if (token === '' || token.length > MAX_TOKEN_LENGTH) return Promise.resolve(undefined);
      if (token.startsWith(BATCH_PREFIX)) return lookupBatch(token).then(allowed);
      let known: string | undefined;
      try {
        // Hot path, answered without any await: a token that authenticated before skips the
        // HMAC, and its cached record decides. Validity is still judged by the record every time.
        known = records.knownHash(token);
        if (known !== undefined) {
          const cached = records.liveCached(known);
          if (cached !== undefined) return Promise.resolve(cached === null ? undefined : allowed(toEntry(cached)));
        }
      } catch (e: unknown) {
        return rejection(e);
      }
      return lookupService(token, known).then(allowed);
    },

    async lookupAccessor(accessor) {
      if (accessor === '' || accessor.length > MAX_TOKEN_LENGTH) return undefined;
      const idx = await getJson(storage, `accessor/${await hash(accessor)}`);
      if (idx === null || typeof idx !== 'object') return undefined;
      const idHash = (idx as Record<string, unknown>)['idHash'];
      if (typeof idHash !== 'string') return undefined;
      const s = await records.live(idHash);
      return s && safeEqual(s.accessor, accessor) ? toEntry(s) : undefined;
    },

    use(entry) {
      // Unlimited tokens (the common case) spend nothing: answer without an async frame.
      if (entry.numUses === 0 || entry.type === 'batch') return Promise.resolve({ entry, exhausted: false });
      return lock.run(entry.idHash, async () => {
        const s = await records.live(entry.idHash);
        if (!s) throw permissionDenied();
        if (s.numUses === 0) return { entry: toEntry(s), exhausted: false };
        const left = s.numUses - 1;
        if (left <= 0) {
          // Persisted as used up at once, so no concurrent request can spend it again.
          await records.persist({ ...s, numUses: 0, status: 'exhausted' });
          return { entry: { ...toEntry(s), numUses: -1 }, exhausted: true };
        }
        const next: StoredToken = { ...s, numUses: left };
        await records.persist(next);
        return { entry: toEntry(next), exhausted: false };
      });
    },

    async renew(entry, increment) {
      if (entry.type === 'batch') throw bad('batch tokens cannot be renewed');
      if (increment < 0) throw bad('increment cannot be negative');
      const result = await lock.run(entry.idHash, async () => {
        const s = await records.live(entry.idHash);
        if (!s) throw bad('token not found');
        if (!s.renewable || s.expireTime === 0) throw bad('lease is not renewable');
        const login = deps.loginRenewal ? await deps.loginRenewal(toEntry(s)) : undefined;
        const sys = deps.systemTtls();
        const now = clock.now();
        const storedMax = s.maxTtl > 0 ? s.maxTtl : sys.maxLeaseTtl;
        const { ttl, warnings } = calculateTtl({
          requested: increment > 0 ? increment : login !== undefined && login.ttl > 0 ? login.ttl : s.ttl,
          period: login !== undefined && login.period > 0 ? login.period : s.period,
          explicitMaxTtl: s.explicitMaxTtl,
          // A role's lowered max TTL applies at once; a raised one never beyond the token's own.
          maxTtl: login !== undefined && login.maxTtl > 0 ? Math.min(login.maxTtl, storedMax) : storedMax,
          defaultTtl: sys.defaultLeaseTtl,
          startMs: s.creationTime,
          nowMs: now,
        });
        const next: StoredToken = { ...s, lastRenewal: now, expireTime: now + ttl * 1000 };
        await records.persist(next);
        return { entry: toEntry(next), ttl, warnings };
      });
      if (deps.onRenew) await deps.onRenew(result.entry);
      return result;
    },

    async revoke(entry) {
      if (entry.type === 'batch') throw bad('batch tokens cannot be revoked');
      await records.revokeTree(entry.idHash);
    },

    async revokeById(idHash) {
      if ((await records.load(idHash)) === undefined) return;
      await records.revokeTree(idHash);
    },

    async expire(idHash) {
      const s = await records.load(idHash);
      if (!s) return { kind: 'gone' };
      if (s.status === 'active' && (s.expireTime === 0 || clock.now() < s.expireTime)) return { kind: 'extended', expireTime: s.expireTime };
      await records.revokeTree(idHash);
      return { kind: 'revoked' };
    },

    async revokeOrphan(entry) {
      if (entry.type === 'batch') throw bad('batch tokens cannot be revoked');
      await records.markRevoking(entry.idHash);
      for (const child of await records.children(entry.idHash)) {
        await lock.run(child, async () => {
          const s = await records.load(child);
          if (s) await records.persist({ ...s, parent: '', orphan: true });
          await storage.delete(`parent/${entry.idHash}/${child}`);
        });
      }
      await records.revokeOne(entry.idHash);
    },

    async listAccessors() {
      const out: string[] = [];
      for (const key of await storage.list('accessor/')) {
        if (key.endsWith('/')) continue;
        const v = await getJson(storage, `accessor/${key}`);
        if (v === null || typeof v !== 'object') continue;
        const r = v as Record<string, unknown>;
        if (typeof r['accessor'] === 'string') out.push(r['accessor']);
        else if (typeof r['idHash'] === 'string') {
          // Index written by the foundation store: the accessor lives only in the record.
          const s = await records.load(r['idHash']);
          if (s) out.push(s.accessor);
        }
      }
      return out.sort();
    },

    async countServiceTokens() {
      return (await storage.list('id/')).length;
    },

    tidy() {
      tidying ??= tidyTokens(records, storage, clock, logger).finally(() => {
        tidying = undefined;
      });
      return tidying;
    },

    ttlOf(entry) {
      if (entry.expireTime === 0) return 0;
      return Math.max(0, Math.floor((entry.expireTime - clock.now()) / 1000));
    },

    async readRole(name) {
      return parseStoredRole(await getJson(storage, `roles/${normalizeRoleName(name)}`));
    },

    async writeRole(name, write) {
      const n = normalizeRoleName(name);
      return lock.run(`role:${n}`, async () => {
        const current = parseStoredRole(await getJson(storage, `roles/${n}`)) ?? defaultRole(n);
        const next = applyRoleWrite(current, write);
        await putJson(storage, `roles/${n}`, next);
        return next;
      });
    },

    async deleteRole(name) {
      await storage.delete(`roles/${normalizeRoleName(name)}`);
    },

    async listRoles() {
      return (await storage.list('roles/')).filter((k) => !k.endsWith('/')).sort();
    },

    reset() {
      records.reset();
    },
  };
  return store;
}
