// A test-only secrets engine that hands out leased secrets, so the lease machinery can be
// exercised end to end before the database engine exists. Every revocation is recorded.

import type { BackendFactory } from '../sdk/index.js';
import { createBackend, definePath, getJson, putJson } from '../sdk/index.js';
import { CofferError } from '../shared/index.js';

export interface LeasingLog {
  issued: string[];
  revoked: string[];
  renewed: string[];
  /** While true, revoke handlers fail (simulating an unreachable database). */
  failRevocations: boolean;
}

export function createLeasingEngine(log: LeasingLog): BackendFactory {
  return async (config) =>
    createBackend({
      secretTypes: {
        cred: {
          revoke: async (lease) => {
            if (log.failRevocations) throw new CofferError('internal', 'backend unreachable');
            log.revoked.push(String(lease.internal['user']));
          },
          renew: async (lease, increment) => {
            log.renewed.push(String(lease.internal['user']));
            return { ttl: increment > 0 ? increment : lease.ttl };
          },
        },
      },
      paths: [
        definePath({
          pattern: 'roles/:name',
          fields: { ttl: { type: 'duration', default: 0 }, max_ttl: { type: 'duration', default: 0 }, renewable: { type: 'bool', default: true } },
          operations: {
            update: async (req) => {
              await putJson(config.storage, `roles/${req.params['name'] ?? ''}`, req.fields);
              return { kind: 'none' };
            },
          },
        }),
        definePath({
          pattern: 'creds/:name',
          operations: {
            read: async (req) => {
              const role = (await getJson(config.storage, `roles/${req.params['name'] ?? ''}`)) as
                | { ttl: number; max_ttl: number; renewable: boolean }
                | undefined;
              if (!role) throw new CofferError('invalid_request', 'unknown role');
              const user = `u-${log.issued.length + 1}`;
              log.issued.push(user);
              return {
                kind: 'data',
                data: { username: user, password: `pw-${user}` },
                secret: { type: 'cred', internal: { user }, ttl: role.ttl, maxTtl: role.max_ttl, renewable: role.renewable },
              };
            },
          },
        }),
      ],
    });
}
