// Login grants: auth methods return what a login earns; the core (only) finds or creates the
// entity behind the login's alias, mints the token with the auth mount's TTL limits and token
// type, and answers with Vault's `auth` object (identity policies included).

import type { AuthResponse, LoginGrant } from '../sdk/index.js';
import { permissionDenied } from '../shared/index.js';
import type { IdentityStore } from './identity/index.js';
import type { MountManager } from './mount-manager.js';
import type { RouteTarget } from './router.js';
import type { TokenStore } from './token/index.js';
import { authFor } from './token/index.js';

export interface GrantIssuer {
  issue(grant: LoginGrant, target: RouteTarget, path: string): Promise<{ auth: AuthResponse; warnings: string[] }>;
}

export function createGrantIssuer(deps: { tokens: TokenStore; mounts: MountManager; identity: Pick<IdentityStore, 'loginEntity' | 'resolve'> }): GrantIssuer {
  return {
    async issue(grant, target, path) {
      const sys = deps.mounts.systemView(target.entry);
      const entity = await deps.identity.loginEntity({
        mountAccessor: target.entry.accessor,
        alias: grant.alias,
        ...(grant.groupAliases !== undefined ? { groupAliases: grant.groupAliases } : {}),
      });
      const resolved = deps.identity.resolve(entity.id);
      if (resolved?.disabled) throw permissionDenied();
      // The mount's token_type tune applies when the method leaves the choice to the server.
      const tuned = target.entry.config.tokenType;
      const tokenType =
        grant.tokenType !== 'default' ? grant.tokenType : tuned === 'batch' || tuned === 'default-batch' ? 'batch' : 'service';
      const issued = await deps.tokens.createFromGrant(
        {
          policies: grant.policies,
          ttl: grant.ttl,
          maxTtl: grant.maxTtl,
          period: grant.period,
          numUses: grant.numUses,
          meta: Object.keys(grant.metadata).length > 0 ? grant.metadata : null,
          displayName: grant.displayName,
          entityId: entity.id,
          tokenType,
          ...(grant.boundCidrs ? { boundCidrs: grant.boundCidrs } : {}),
          ...(grant.noDefaultPolicy !== undefined ? { noDefaultPolicy: grant.noDefaultPolicy } : {}),
        },
        { path, mountMaxTtl: sys.maxLeaseTtl(), mountDefaultTtl: sys.defaultLeaseTtl(), mountPath: `auth/${target.entry.path}` },
      );
      // The granted TTL, as Vault reports it at issue (not the seconds left a moment later).
      return { auth: authFor(issued.entry, issued.token, issued.entry.ttl, resolved?.policies ?? []), warnings: issued.warnings };
    },
  };
}

