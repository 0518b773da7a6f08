// sys/leases/* (and the legacy sys/renew, sys/revoke, sys/revoke-prefix, sys/revoke-force):
// lookup, list, renew, revoke (sync or in the background), revoke by prefix, force, tidy, count.

import type { PathRequest } from '../../sdk/index.js';
import { dataResponse, definePath, listResponse, noContent } from '../../sdk/index.js';
import type { Clock, Logger } from '../../shared/index.js';
import { CofferError } from '../../shared/index.js';
import type { ExpirationManager, LeaseRecord } from '../expiration/index.js';

const iso = (ms: number | null): string | null => (ms === null || ms === 0 ? null : new Date(ms).toISOString());

export function leaseLookupData(rec: LeaseRecord, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: rec.id,
    issue_time: iso(rec.issueTime),
    expire_time: iso(rec.expireTime),
    last_renewal: iso(rec.lastRenewal),
    renewable: rec.renewable,
    ttl: Math.max(0, Math.ceil((rec.expireTime - now) / 1000)),
  };
  if (rec.irrevocable) out['irrevocable'] = { error: rec.irrevocable.error, since: iso(rec.irrevocable.since) };
  return out;
}

const idFields = { lease_id: { type: 'string' as const }, url_lease_id: { type: 'string' as const } };
const renewFields = { ...idFields, increment: { type: 'duration' as const } };
const revokeFields = { ...idFields, sync: { type: 'bool' as const, default: true } };

function leaseIdOf(req: PathRequest<typeof idFields> | PathRequest<typeof renewFields> | PathRequest<typeof revokeFields>): string {
  const fromUrl = req.params['id'] ?? '';
  const fromBody = req.fields.lease_id ?? '';
  if (fromUrl !== '' && fromBody !== '' && fromUrl !== fromBody) {
    throw new CofferError('invalid_request', 'lease id in the URL and in the body differ');
  }
  const id = fromUrl !== '' ? fromUrl : fromBody;
  if (id === '') throw new CofferError('invalid_request', 'lease_id must be specified');
  return id;
}

export function leasePaths(deps: { manager: ExpirationManager; clock: Clock; logger: Logger }) {
  const { manager, clock, logger } = deps;
  const background = (what: string, work: Promise<unknown>): void => {
    work.catch((e: unknown) => logger.error({ error: e instanceof Error ? e.message : String(e) }, `${what} failed`));
  };

  const renew = async (req: PathRequest<typeof renewFields>) => {
    const id = leaseIdOf(req);
    const rec = await manager.renew(id, req.fields.increment ?? 0);
    return { kind: 'data' as const, data: null, leaseRenewal: { leaseId: rec.id, ttl: rec.ttl, renewable: rec.renewable } };
  };
  const revoke = async (req: PathRequest<typeof revokeFields>) => {
    const id = leaseIdOf(req);
    // As in Vault, revoking a lease that does not exist (any more) is a no-op.
    if (!(await manager.lookup(id).catch(() => undefined))) return req.fields.sync ? noContent() : { kind: 'none' as const, accepted: true };
    if (!req.fields.sync) {
      background('lease revocation', manager.revoke(id));
      return { kind: 'none' as const, accepted: true };
    }
    await manager.revoke(id);
    return noContent();
  };
  const revokePrefix = async (req: PathRequest<typeof revokeFields>) => {
    const prefix = req.params['prefix'] ?? '';
    if (!req.fields.sync) {
      background('lease prefix revocation', manager.revokePrefix(prefix));
      return { kind: 'none' as const, accepted: true };
    }
    await manager.revokePrefix(prefix);
    return noContent();
  };
  const revokeForce = async (req: PathRequest<Record<never, never>>) => {
    await manager.revokePrefix(req.params['prefix'] ?? '', { force: true });
    return noContent();
  };

  const paths = [];
  for (const base of ['leases/', '']) {
    paths.push(
      definePath({ pattern: `${base}renew`, fields: renewFields, operations: { update: renew } }),
      definePath({ pattern: `${base}renew/*id`, fields: renewFields, operations: { update: renew } }),
      definePath({ pattern: `${base}revoke`, fields: revokeFields, operations: { update: revoke } }),
      definePath({ pattern: `${base}revoke/*id`, fields: revokeFields, operations: { update: revoke } }),
      definePath({ pattern: `${base}revoke-prefix/*prefix`, fields: revokeFields, operations: { update: revokePrefix } }),
      definePath({ pattern: `${base}revoke-force/*prefix`, operations: { update: revokeForce } }),
    );
  }
  paths.push(
    definePath({
      pattern: 'leases/lookup',
      fields: idFields,
      operations: {
        update: async (req) => {
          const rec = await manager.lookup(leaseIdOf(req));
          if (!rec) throw new CofferError('invalid_request', 'invalid lease');
          return dataResponse(leaseLookupData(rec, clock.now()));
        },
      },
    }),
    definePath({
      pattern: 'leases/lookup/*prefix?',
      operations: {
        list: async (req) => {
          const prefix = req.params['prefix'] ?? '';
          if (prefix !== '' && !prefix.endsWith('/')) throw new CofferError('invalid_request', 'prefix must end with a trailing slash');
          return listResponse(await manager.list(prefix));
        },
      },
    }),
    definePath({
      pattern: 'leases/tidy',
      operations: {
        update: async () => {
          background('lease tidy', manager.tidy());
          return { kind: 'none', accepted: true, warnings: ["Tidy operation successfully started. Any information from the operation will be printed to Coffer's server logs."] };
        },
      },
    }),
    definePath({
      pattern: 'leases/count',
      fields: { type: { type: 'string' as const, default: '' } },
      operations: {
        read: async (req) => {
          const count = req.fields.type === 'irrevocable' ? (await manager.irrevocable()).length : await manager.count();
          return dataResponse({ lease_count: count, counts: { root: count } });
        },
      },
    }),
    definePath({
      pattern: 'leases',
      fields: { type: { type: 'string' as const, default: 'irrevocable' } },
      operations: {
        read: async () => {
          const leases = (await manager.irrevocable()).map((r) => ({
            lease_id: r.id,
            mount_id: r.mountAccessor ?? '',
            error: r.irrevocable?.error ?? '',
            expire_time: iso(r.expireTime),
          }));
          return dataResponse({ lease_count: leases.length, leases });
        },
      },
    }),
  );
  return paths;
}
