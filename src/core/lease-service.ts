// The lease service: the expiration manager wired to the rest of the core. It registers leases
// for secrets that backends hand out and for expiring tokens, and routes expiry, renewal and
// revocation back to the issuing backend's declared secret type (or to the token store).

import type { LeaseView, SecretGrant, SecretTypeHandlers, Storage } from '../sdk/index.js';
import type { Clock, Logger } from '../shared/index.js';
import { CofferError } from '../shared/index.js';
import type { ExpirationManager, LeaseRecord } from './expiration/index.js';
import { createExpirationManager } from './expiration/index.js';
import type { MountManager } from './mount-manager.js';
import type { RouteTarget, Router } from './router.js';
import type { TokenEntry, TokenStore } from './token/index.js';

export interface LeaseService {
  readonly manager: ExpirationManager;
  /** Registers a secret's lease; on failure revokes the secret at once and throws (invariant 6). */
  registerSecret(input: { path: string; target: RouteTarget; grant: SecretGrant; token: TokenEntry | undefined }): Promise<LeaseRecord>;
  /** Schedules the expiry of a token that has a TTL. */
  registerToken(entry: TokenEntry): Promise<void>;
  /** Revokes every secret lease a token created. */
  revokeByToken(entry: TokenEntry): Promise<void>;
}

function view(rec: LeaseRecord): LeaseView {
  return {
    leaseId: rec.id,
    secretType: rec.secretType ?? '',
    internal: rec.internal ?? {},
    issueTime: rec.issueTime,
    expireTime: rec.expireTime,
    ttl: rec.ttl,
  };
}

export function createLeaseService(deps: {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  router: Router;
  mounts: MountManager;
  tokens: () => TokenStore;
}): LeaseService {
  const { router, clock } = deps;

  /** The mount that issued a lease (by accessor, so a moved mount is still found). */
  const issuer = (rec: LeaseRecord): { target: RouteTarget; handlers: SecretTypeHandlers } | undefined => {
    const target = router.all().find((t) => t.entry.accessor === rec.mountAccessor);
    if (!target) return undefined;
    const handlers = target.backend.secretTypes?.[rec.secretType ?? ''];
    if (!handlers) throw new CofferError('internal', `no handler for secret type ${JSON.stringify(rec.secretType)} on mount ${target.entry.path}`);
    return { target, handlers };
  };

  const service: LeaseService = {
    manager: createExpirationManager({
      storage: deps.storage,
      clock,
      logger: deps.logger,
      revoke: async (rec) => {
        if (rec.kind === 'token') {
          const raw = rec.internal?.['idHash'];
          const idHash = typeof raw === 'string' ? raw : '';
          // Revoked before its time (revoke-prefix, a disabled auth mount): the token goes too.
          if (clock.now() < rec.expireTime) {
            await deps.tokens().revokeById(idHash);
            return;
          }
          const outcome = await deps.tokens().expire(idHash);
          if (outcome.kind === 'extended' && outcome.expireTime > 0) {
            // Renewed since this lease was set: follow the token's new expiry.
            await service.manager.register({
              idPrefix: rec.path,
              path: rec.path,
              kind: 'token',
              internal: { idHash },
              tokenId: idHash,
              renewable: false,
              ttl: Math.max(1, Math.ceil((outcome.expireTime - clock.now()) / 1000)),
              maxTtl: 0,
            });
          }
          return;
        }
        const found = issuer(rec);
        // The mount is gone (disabled): its data and credentials went with it.
        if (!found) return;
        await found.handlers.revoke(view(rec), found.target.storage);
      },
      renew: async (rec, increment) => {
        if (rec.kind === 'token') throw new CofferError('invalid_request', 'tokens are renewed with auth/token/renew');
        const found = issuer(rec);
        if (!found?.handlers.renew) throw new CofferError('invalid_request', 'lease is not renewable');
        return found.handlers.renew(view(rec), increment, found.target.storage);
      },
    }),

    async registerSecret({ path, target, grant, token }) {
      const sys = deps.mounts.systemView(target.entry);
      const maxTtl = Math.min(grant.maxTtl > 0 ? grant.maxTtl : sys.maxLeaseTtl(), sys.maxLeaseTtl());
      const ttl = Math.min(grant.ttl > 0 ? grant.ttl : sys.defaultLeaseTtl(), maxTtl);
      const handlers = target.backend.secretTypes?.[grant.type];
      if (!handlers) throw new CofferError('internal', `backend returned an undeclared secret type ${JSON.stringify(grant.type)}`);
      let record: LeaseRecord;
      try {
        record = await service.manager.register({
          idPrefix: path,
          path,
          kind: 'secret',
          mountAccessor: target.entry.accessor,
          secretType: grant.type,
          internal: grant.internal,
          tokenId: token?.idHash ?? '',
          renewable: grant.renewable && handlers.renew !== undefined,
          ttl,
          maxTtl,
        });
      } catch (e) {
        const now = clock.now();
        const lease: LeaseView = { leaseId: '', secretType: grant.type, internal: grant.internal, issueTime: now, expireTime: now, ttl };
        try {
          await handlers.revoke(lease, target.storage);
          if (grant.writeAheadKey !== undefined) await target.storage.delete(grant.writeAheadKey);
        } catch (revokeError) {
          deps.logger.error({ path, error: revokeError instanceof Error ? revokeError.message : String(revokeError) }, 'failed to revoke a secret whose lease could not be registered');
        }
        deps.logger.error({ path, error: e instanceof Error ? e.message : String(e) }, 'failed to register lease; secret revoked');
        throw new CofferError('internal', 'failed to register the lease; the secret was revoked');
      }
      // The lease now owns the secret: the backend's write-ahead record must not roll it back.
      if (grant.writeAheadKey !== undefined) {
        try {
          await target.storage.delete(grant.writeAheadKey);
        } catch (e) {
          deps.logger.error({ path, error: e instanceof Error ? e.message : String(e) }, 'failed to clear a write-ahead record after leasing');
        }
      }
      return record;
    },

    async registerToken(entry) {
      if (entry.type === 'batch' || entry.expireTime === 0) return;
      await service.manager.register({
        idPrefix: entry.path,
        path: entry.path,
        kind: 'token',
        internal: { idHash: entry.idHash },
        tokenId: entry.idHash,
        renewable: false,
        ttl: Math.max(1, Math.ceil((entry.expireTime - clock.now()) / 1000)),
        maxTtl: 0,
      });
    },

    async revokeByToken(entry) {
      await service.manager.revokeByToken(entry.idHash);
    },
  };
  return service;
}
