// core/: the facade the HTTP layer talks to. It owns the seal lifecycle (one state machine on top
// of the barrier's), the mount tables, the token store and the request pipeline.

import { randomBytes, randomUUID } from 'node:crypto';
import type { SealManager } from '../barrier/index.js';
import { createSealManager, createView, decodeUnsealKey } from '../barrier/index.js';
import type { PhysicalBackend } from '../storage/index.js';
import type { AuditDeviceFactory, Storage } from '../sdk/index.js';
import { getJson, putJson } from '../sdk/index.js';
import type { Clock, Logger, LogLevelControl } from '../shared/index.js';
import { CofferError, createKeyedMutex, permissionDenied, sealedError } from '../shared/index.js';
import { createAuthorizer } from './authorize.js';
import type { MountRegistry } from './mount-manager.js';
import { createMountManager } from './mount-manager.js';
import type { LogicalRequest, LogicalResult } from './request-handler.js';
import { createRequestHandler } from './request-handler.js';
import { createRouter } from './router.js';
import { createCubbyholeBackend, destroyCubbyhole } from './cubbyhole-backend.js';
import { createLeaseService } from './lease-service.js';
import { createGrantIssuer } from './login-grants.js';
import { createWrapper } from './wrapping.js';
import { createPolicyStore } from './policy/policy-store.js';
import { createAuditBroker } from './audit/index.js';
import type { CoreGauges, CoreTelemetry } from './telemetry.js';
import { noTelemetry } from './telemetry.js';
import { createPasswordPolicies } from './policy/password-policies.js';
import { createIdentityBackend, createIdentityStore } from './identity/index.js';
import { createSysBackend } from './sys/sys-backend.js';
import { createTokenBackend, createTokenStore } from './token/index.js';
import { COFFER_BUILD_DATE, COFFER_VERSION } from './version.js';

export type { LogicalRequest, LogicalResult, ResponseBody, RequestOperation } from './request-handler.js';
export type { WrapInfo } from './wrapping.js';
export type { MountRegistry } from './mount-manager.js';
export { COFFER_VERSION, COFFER_BUILD_DATE } from './version.js';
export type { CoreGauges, CoreTelemetry } from './telemetry.js';

export interface SealStatusView {
  type: 'shamir';
  initialized: boolean;
  sealed: boolean;
  t: number;
  n: number;
  progress: number;
  nonce: string;
  version: string;
  buildDate: string;
  migration: false;
  recoverySeal: false;
  storageType: string;
  /** Present only while unsealed. */
  cluster?: { name: string; id: string };
}

export interface HealthView {
  initialized: boolean;
  sealed: boolean;
  standby: false;
  serverTimeUtc: number;
  version: string;
  cluster?: { name: string; id: string };
}

export interface LeaderView {
  haEnabled: false;
  isSelf: boolean;
  activeTime: string;
  leaderAddress: string;
  leaderClusterAddress: string;
}

export interface CoreDeps {
  physical: PhysicalBackend;
  storageType: string;
  registry: MountRegistry;
  clock: Clock;
  logger: Logger;
  /** seconds */
  defaultLeaseTtl: number;
  /** seconds */
  maxLeaseTtl: number;
  clusterName?: string;
  /** Request, audit and sys/metrics telemetry (the server wires prom-client in). */
  telemetry?: CoreTelemetry;
  /** sys/config/state/sanitized: the server configuration without secrets. */
  sanitizedConfig?: Record<string, unknown>;
  /** Run-time log levels (sys/loggers). */
  logLevels?: LogLevelControl;
  /** Audit device types that `sys/audit` can enable. */
  auditDevices?: Readonly<Record<string, AuditDeviceFactory>>;
}

export interface Core {
  isInitialized(): boolean;
  isSealed(): boolean;
  /** sys/init: creates keys and the root token, then leaves the server sealed. */
  initialize(opts: { secretShares: number; secretThreshold: number; rootTokenId?: string }): Promise<{ keys: Uint8Array[]; rootToken: string }>;
  sealStatus(): SealStatusView;
  /** sys/unseal with `key` (hex or base64) or `reset`. */
  unseal(input: { key?: string; reset?: boolean }): Promise<SealStatusView>;
  /** sys/seal: needs a root (or sudo) token. */
  seal(token: string | undefined): Promise<void>;
  /** sys/step-down: needs a root (or sudo) token; a no-op on a single node. */
  stepDown(token: string | undefined): Promise<void>;
  health(): HealthView;
  leader(): LeaderView;
  handleRequest(req: LogicalRequest): Promise<LogicalResult>;
  /** sys/metrics for a token allowed to read it; Prometheus text or go-metrics JSON. */
  metrics(caller: { token: string | undefined } | { unauthenticated: true }, format: 'prometheus' | 'json'): Promise<{ contentType: string; body: string }>;
  /** Gauges telemetry reads at scrape time. */
  gauges(): CoreGauges;
  /** SIGHUP: reopen audit files (log rotation). */
  reloadAudit(): Promise<void>;
  close(): Promise<void>;
}

type Lifecycle = { kind: 'sealed' } | { kind: 'active'; since: Date; cluster: { name: string; id: string } };

export async function createCore(deps: CoreDeps): Promise<Core> {
  const { clock, logger } = deps;
  const sealManager: SealManager = await createSealManager({ physical: deps.physical, clock, logger });
  const router = createRouter();
  // The barrier object only answers while unsealed, so resolve it per call.
  const barrier: Storage = {
    get: (k) => sealManager.storage().get(k),
    put: (k, v) => sealManager.storage().put(k, v),
    delete: (k) => sealManager.storage().delete(k),
    list: (p) => sealManager.storage().list(p),
  };
  const tokens = createTokenStore({
    // A role's entity_alias is an alias on the token mount; the entity is found or created.
    resolveEntityAlias: async (alias) => {
      const tokenMount = mounts.get('auth', 'token/');
      if (!tokenMount) throw new CofferError('internal', 'token mount missing');
      return (await identity.loginEntity({ mountAccessor: tokenMount.accessor, alias: { name: alias } })).id;
    },
    storage: createView(barrier, 'sys/token/'),
    clock,
    logger: logger.child({ component: 'token' }),
    // Effective TTLs of the auth/token/ mount (tunable); `mounts` exists by the time this runs.
    systemTtls: () => {
      const e = mounts.get('auth', 'token/');
      if (!e) return { defaultLeaseTtl: deps.defaultLeaseTtl, maxLeaseTtl: deps.maxLeaseTtl };
      const view = mounts.systemView(e);
      return { defaultLeaseTtl: view.defaultLeaseTtl(), maxLeaseTtl: view.maxLeaseTtl() };
    },
    onCreate: (entry) => leases.registerToken(entry),
    // A login's token renews only while the auth method still backs it (Vault's login renew).
    loginRenewal: async (entry) => {
      const target = router.resolve(entry.path)?.target;
      if (target === undefined || target.entry.table !== 'auth') return undefined;
      return target.backend.renewLogin?.({ metadata: entry.meta ?? {}, policies: entry.policies });
    },
    onRevoke: async (entry) => {
      await leases.revokeByToken(entry);
      const cubby = mounts.storageOf('mounts', 'cubbyhole/');
      if (cubby) await destroyCubbyhole(cubby, entry.idHash);
    },
  });
  const mounts = createMountManager({
    barrier,
    router,
    // Disabling a mount revokes every lease it issued (before its backend and data go away).
    onUnmount: async (routePath) => {
      await leases.manager.revokePrefix(routePath, { force: true });
    },
    registry: deps.registry,
    system: { defaultLeaseTtl: deps.defaultLeaseTtl, maxLeaseTtl: deps.maxLeaseTtl },
    generatePassword: (name) => passwordPolicies.generate(name),
    clock,
    logger,
  });
  const leases = createLeaseService({
    storage: createView(barrier, 'sys/expire/'),
    clock,
    logger: logger.child({ component: 'expiration' }),
    router,
    mounts,
    tokens: () => tokens,
  });
  const policies = createPolicyStore({ storage: createView(barrier, 'sys/policy/') });
  const telemetry = deps.telemetry ?? noTelemetry;
  const audit = createAuditBroker({
    barrier,
    factories: deps.auditDevices ?? {},
    clock,
    logger: logger.child({ component: 'audit' }),
    observe: (seconds, ok) => telemetry.auditLogged(seconds, ok),
  });
  const passwordPolicies = createPasswordPolicies(createView(barrier, 'sys/password_policy/'));
  const authMountByAccessor = (accessor: string) => mounts.list('auth').find((e) => e.accessor === accessor);
  const identity = createIdentityStore({
    storage: createView(barrier, 'sys/identity/'),
    clock,
    accessorExists: (accessor) => authMountByAccessor(accessor) !== undefined,
  });
  const identityBackend = createIdentityBackend(identity, {
    mountOf: (accessor) => {
      const e = authMountByAccessor(accessor);
      return e ? { path: `auth/${e.path}`, type: e.type } : undefined;
    },
  });
  const authorizer = createAuthorizer(policies, identity);
  const wrapper = createWrapper({ tokens, cubbyhole: () => mounts.storageOf('mounts', 'cubbyhole/'), clock });
  const sysBackend = createSysBackend({
    mounts,
    router,
    policies,
    passwordPolicies,
    audit,
    ...(deps.logLevels ? { logLevels: deps.logLevels } : {}),
    sanitizedConfig: () => deps.sanitizedConfig ?? {},
    tokens,
    authorizer,
    leases: leases.manager,
    wrapper,
    clock,
    logger: logger.child({ component: 'sys' }),
    keys: { keyStatus: () => sealManager.keyStatus(), rotate: () => sealManager.rotate() },
  });
  const tokenBackend = createTokenBackend(tokens, {
    logger: logger.child({ component: 'token-backend' }),
    isSudo: (entry, path) => authorizer.hasSudo(entry, path),
    policyExists: async (name) => (await policies.read(name)) !== undefined,
    identityPolicies: (entry) => authorizer.identityPolicies(entry),
  });
  const cubbyholeBackend = createCubbyholeBackend();
  const grants = createGrantIssuer({ tokens, mounts, identity });
  const handle = createRequestHandler({ router, tokens, authorizer, leases, wrapper, grants, audit, telemetry });
  const lifecycle = createKeyedMutex();
  let state: Lifecycle = { kind: 'sealed' };

  /** Loads everything that lives behind the barrier; on failure the barrier is sealed again. */
  const postUnseal = async (): Promise<void> => {
    try {
      let cluster = (await getJson(barrier, 'core/cluster')) as { name?: unknown; id?: unknown } | undefined;
      if (!cluster || typeof cluster.name !== 'string' || typeof cluster.id !== 'string') {
        cluster = { name: deps.clusterName ?? `coffer-cluster-${randomBytes(4).toString('hex')}`, id: randomUUID() };
        await putJson(barrier, 'core/cluster', cluster);
      }
      await policies.setup();
      await identity.load();
      await mounts.load({ sys: sysBackend, token: tokenBackend, cubbyhole: cubbyholeBackend, identity: identityBackend });
      await leases.manager.start();
      await audit.load();
      state = { kind: 'active', since: new Date(clock.now()), cluster: { name: String(cluster.name), id: String(cluster.id) } };
      logger.info('core unsealed');
    } catch (e) {
      await preSeal();
      sealManager.seal();
      logger.error({ error: e instanceof Error ? e.message : String(e) }, 'post-unseal setup failed; sealed again');
      throw new CofferError('internal', 'failed to complete unseal');
    }
  };

  const preSeal = async (): Promise<void> => {
    state = { kind: 'sealed' };
    leases.manager.stop();
    await audit.unload();
    await mounts.unloadAll();
    tokens.reset();
    policies.reset();
    identity.reset();
  };

  const requireSudo = async (token: string | undefined, path: string): Promise<void> => {
    if (state.kind !== 'active') throw sealedError();
    const entry = token ? await tokens.lookup(token) : undefined;
    if (!entry) throw permissionDenied();
    const decision = await authorizer.check(entry, { path, operation: 'update', data: undefined, sudoRequired: true });
    if (decision.kind === 'deny') throw permissionDenied();
  };

  const sealStatus = (): SealStatusView => {
    const s = sealManager.status();
    const view: SealStatusView = {
      type: 'shamir',
      initialized: s.initialized,
      sealed: state.kind !== 'active',
      t: s.t,
      n: s.n,
      progress: s.progress,
      nonce: s.nonce,
      version: COFFER_VERSION,
      buildDate: COFFER_BUILD_DATE,
      migration: false,
      recoverySeal: false,
      storageType: deps.storageType,
    };
    if (state.kind === 'active') view.cluster = state.cluster;
    return view;
  };

  return {
    isInitialized: () => sealManager.status().initialized,
    isSealed: () => state.kind !== 'active',

    initialize(opts) {
      return lifecycle.run('seal', async () => {
        const { shares } = await sealManager.initialize({ secretShares: opts.secretShares, secretThreshold: opts.secretThreshold });
        for (const share of shares.slice(0, opts.secretThreshold)) await sealManager.submitUnsealKey(share);
        await postUnseal();
        const { token } = await tokens.createRootToken(opts.rootTokenId !== undefined ? { id: opts.rootTokenId } : {});
        await preSeal();
        sealManager.seal();
        logger.info({ shares: opts.secretShares, threshold: opts.secretThreshold }, 'initialized');
        return { keys: shares, rootToken: token };
      });
    },

    sealStatus,

    unseal(input) {
      return lifecycle.run('seal', async () => {
        if (!sealManager.status().initialized) throw new CofferError('invalid_request', 'Vault is not initialized');
        if (input.reset) {
          if (state.kind === 'active') throw new CofferError('invalid_request', 'vault is unsealed');
          sealManager.resetUnseal();
          return sealStatus();
        }
        if (input.key === undefined || input.key === '') {
          throw new CofferError('invalid_request', "'key' must be specified in request body as JSON, or 'reset' set to true");
        }
        if (state.kind === 'active') return sealStatus();
        const share = decodeUnsealKey(input.key);
        const s = await sealManager.submitUnsealKey(share);
        if (!s.sealed) await postUnseal();
        return sealStatus();
      });
    },

    async seal(token) {
      await requireSudo(token, 'sys/seal');
      await lifecycle.run('seal', async () => {
        if (state.kind !== 'active') return;
        await preSeal();
        sealManager.seal();
        logger.info('sealed');
      });
    },

    async stepDown(token) {
      await requireSudo(token, 'sys/step-down');
    },

    health() {
      const h: HealthView = {
        initialized: sealManager.status().initialized,
        sealed: state.kind !== 'active',
        standby: false,
        serverTimeUtc: Math.floor(clock.now() / 1000),
        version: COFFER_VERSION,
      };
      if (state.kind === 'active') h.cluster = state.cluster;
      return h;
    },

    leader() {
      return {
        haEnabled: false,
        isSelf: false,
        activeTime: '0001-01-01T00:00:00Z',
        leaderAddress: '',
        leaderClusterAddress: '',
      };
    },

    // Not async: `handle` is, so this only adds the sealed check without a promise of its own.
    handleRequest(req) {
      if (state.kind !== 'active') return Promise.reject(sealedError());
      return handle(req);
    },

    reloadAudit: () => audit.reload(),

    async metrics(caller, format) {
      if (state.kind !== 'active') throw sealedError();
      if ('unauthenticated' in caller) return telemetry.render(format);
      const token = caller.token;
      const entry = token ? await tokens.lookup(token) : undefined;
      if (!entry) throw permissionDenied();
      const decision = await authorizer.check(entry, { path: 'sys/metrics', operation: 'read', data: undefined, sudoRequired: false });
      if (decision.kind === 'deny') throw permissionDenied();
      return telemetry.render(format);
    },

    gauges: () => ({
      sealed: () => state.kind !== 'active',
      leaseCount: () => (state.kind === 'active' ? leases.manager.count() : Promise.resolve(0)),
      auditDevices: () => audit.list().length,
      mounts: () => (state.kind === 'active' ? mounts.list('mounts').length + mounts.list('auth').length : 0),
    }),

    async close() {
      await lifecycle.run('seal', async () => {
        if (state.kind === 'active') {
          await preSeal();
          sealManager.seal();
        }
      });
      await deps.physical.close();
    },
  };
}
