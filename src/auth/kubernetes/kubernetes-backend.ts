// The kubernetes auth method: config, roles, and `login` with a service account JWT, which is
// checked against the role and then confirmed by the API server's TokenReview. A login returns
// a LoginGrant (the core mints the token).

import type { KeyObject } from 'node:crypto';
import type { BackendConfig, BackendFactory, BackendResponse, LogicalBackend, Storage } from '../../sdk/index.js';
import { createBackend, dataResponse, definePath, getJson, noContent, putJson } from '../../sdk/index.js';
import { anyGlobMatches, CofferError, createKeyedMutex } from '../../shared/index.js';
import { fetchJson } from '../outbound/index.js';
import { loadRole, roleLoginRenewal, rolePaths } from '../role-paths.js';
import { addressAllowed, tokenGrant } from '../token-fields.js';
import type { KubeApiAccess } from './kube-api.js';
import { namespaceLabels, serviceAccountAnnotations } from './kube-api.js';
import type { KubernetesConfig } from './kubernetes-config.js';
import { apiBaseUrl, CONFIG_FIELD_SPECS, configFromInput, configToData, parsePublicKeyPem, parseStoredConfig } from './kubernetes-config.js';
import type { KubernetesRole } from './kubernetes-role.js';
import { applyRoleWrite, parseStoredRole, ROLE_FIELD_SPECS, roleToData } from './kubernetes-role.js';
import { createLocalCredentials, DEFAULT_LOCAL_SA_DIR } from './local-credentials.js';
import { parseNamespaceSelector, selectorMatches } from './namespace-selector.js';
import type { ServiceAccountIdentity } from './service-account-token.js';
import { LEGACY_ISSUER, readServiceAccountToken } from './service-account-token.js';
import type { FetchJson } from './token-review.js';
import { reviewToken } from './token-review.js';

const CONFIG_KEY = 'config';
/** Service account annotations with this prefix become alias metadata (prefix stripped). */
const ALIAS_METADATA_ANNOTATION = 'vault.hashicorp.com/alias-metadata-';
const RESERVED_ALIAS_KEYS: readonly string[] = ['service_account_uid', 'service_account_name', 'service_account_namespace', 'service_account_secret_name'];

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);
const denied = (msg = 'permission denied'): CofferError => new CofferError('permission_denied', msg);

/** Dependencies tests (or the lead) may inject; production uses the defaults. */
export interface KubernetesBackendOptions {
  /** Where the pod's service account `token` and `ca.crt` live; default /var/run/secrets/kubernetes.io/serviceaccount. */
  localCredentialsDir?: string;
  /** The outbound HTTP client; default fetchJson. */
  fetch?: FetchJson;
}

const loadConfig = async (storage: Storage): Promise<KubernetesConfig | undefined> => parseStoredConfig(await getJson(storage, CONFIG_KEY));

/** Builds a kubernetes auth backend over the mount's storage. `login` is unauthenticated. */
export function createKubernetesBackend(config: BackendConfig, options: KubernetesBackendOptions = {}): Promise<LogicalBackend> {
  const storage = config.storage;
  const clock = config.clock;
  const logger = config.logger;
  const fetch = options.fetch ?? fetchJson;
  const local = createLocalCredentials(options.localCredentialsDir ?? DEFAULT_LOCAL_SA_DIR);
  const locks = createKeyedMutex();

  // Parsed pem_keys, rebuilt only when the configured PEM text changes.
  let keyCache: { fingerprint: string; keys: KeyObject[] } | undefined;
  const keysOf = (cfg: KubernetesConfig): KeyObject[] => {
    const fingerprint = JSON.stringify(cfg.pemKeys);
    if (keyCache?.fingerprint !== fingerprint) keyCache = { fingerprint, keys: cfg.pemKeys.map((p) => parsePublicKeyPem(p)) };
    return keyCache.keys;
  };

  /** How to reach the API server: reviewer JWT → the pod's token → the login JWT; CA → the pod's CA → system roots. */
  const apiAccess = async (cfg: KubernetesConfig, loginJwt: string): Promise<KubeApiAccess> => {
    const useLocal = !cfg.disableLocalCaJwt;
    let bearer = cfg.tokenReviewerJwt;
    if (bearer === '' && useLocal) bearer = (await local.token()) ?? '';
    if (bearer === '') bearer = loginJwt;
    let caPem: string | undefined = cfg.kubernetesCaCert.trim() !== '' ? cfg.kubernetesCaCert : undefined;
    if (caPem === undefined && useLocal) caPem = await local.caCert();
    return { baseUrl: apiBaseUrl(cfg.kubernetesHost), bearer, caPem };
  };

  const namespaceAllowed = async (role: KubernetesRole, api: KubeApiAccess, ns: string): Promise<boolean> => {
    if (anyGlobMatches(role.serviceAccountNamespaces, ns)) return true;
    if (role.namespaceSelector === '') return false;
    try {
      return selectorMatches(parseNamespaceSelector(role.namespaceSelector), await namespaceLabels(fetch, api, ns));
    } catch (e: unknown) {
      logger.warn({ error: e instanceof Error ? e.message : String(e), namespace: ns }, 'kubernetes login: could not read namespace labels');
      return false;
    }
  };

  const aliasAnnotations = async (api: KubeApiAccess, sa: ServiceAccountIdentity): Promise<Record<string, string>> => {
    let annotations: Record<string, string>;
    try {
      annotations = await serviceAccountAnnotations(fetch, api, sa.namespace, sa.name);
    } catch (e: unknown) {
      logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'kubernetes login: could not read service account annotations');
      throw new CofferError('internal', 'failed to read service account annotations');
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(annotations)) {
      if (!k.startsWith(ALIAS_METADATA_ANNOTATION)) continue;
      const key = k.slice(ALIAS_METADATA_ANNOTATION.length);
      if (RESERVED_ALIAS_KEYS.includes(key)) throw bad(`annotation ${JSON.stringify(k)} sets the reserved alias metadata key ${JSON.stringify(key)}`);
      out[key] = v;
    }
    return out;
  };

  const login = async (fields: { role: string | undefined; jwt: string | undefined }, remoteAddress: string): Promise<BackendResponse> => {
    const roleIn = fields.role ?? '';
    if (roleIn === '') throw bad('missing role');
    const jwt = (fields.jwt ?? '').trim();
    if (jwt === '') throw bad('missing jwt');
    const name = roleIn.toLowerCase();
    const role = await loadRole(storage, name, parseStoredRole);
    if (role === undefined) throw bad(`invalid role name ${JSON.stringify(roleIn)}`);
    if (!addressAllowed(role.token.boundCidrs, remoteAddress)) throw denied();
    const cfg = await loadConfig(storage);
    if (cfg === undefined) throw bad('could not load backend configuration');

    const sa = await readServiceAccountToken(jwt, {
      keys: keysOf(cfg),
      now: clock.now(),
      issuer: cfg.disableIssValidation ? undefined : cfg.issuer !== '' ? cfg.issuer : LEGACY_ISSUER,
      audience: role.audience,
    });
    if (sa.namespace === '' || sa.name === '' || sa.uid === '') throw denied();
    if (!anyGlobMatches(role.serviceAccountNames, sa.name)) throw denied('service account name not authorized');
    const api = await apiAccess(cfg, jwt);
    if (!(await namespaceAllowed(role, api, sa.namespace))) throw denied('namespace not authorized');

    const outcome = await reviewToken(
      fetch,
      { ...api, token: jwt, audiences: role.audience !== '' ? [role.audience] : sa.audiences },
      { namespace: sa.namespace, name: sa.name, uid: sa.uid },
    );
    if (!outcome.ok) {
      const log = { reason: outcome.reason, role: name, namespace: sa.namespace, service_account: sa.name };
      if (outcome.unreachable) logger.warn(log, 'kubernetes login: TokenReview failed');
      else logger.debug(log, 'kubernetes login denied');
      throw denied();
    }

    const saMeta = {
      service_account_name: sa.name,
      service_account_namespace: sa.namespace,
      service_account_secret_name: sa.secretName,
      service_account_uid: sa.uid,
    };
    const extra = cfg.useAnnotationsAsAliasMetadata ? await aliasAnnotations(api, sa) : {};
    const aliasName = role.aliasNameSource === 'serviceaccount_name' ? `${sa.namespace}/${sa.name}` : sa.uid;
    const grant = tokenGrant(role.token, {
      metadata: { role: name, ...saMeta },
      displayName: `${sa.namespace}-${sa.name}`,
      alias: { name: aliasName, metadata: { ...extra, ...saMeta } },
    });
    return { kind: 'data', data: null, grant };
  };

  const backend = createBackend({
    specialPaths: { unauthenticated: ['login'] },
    renewLogin: roleLoginRenewal(storage, parseStoredRole),
    paths: [
      definePath({
        pattern: 'config',
        fields: CONFIG_FIELD_SPECS,
        operations: {
          read: async () => {
            const cfg = await loadConfig(storage);
            return cfg === undefined ? noContent() : dataResponse(configToData(cfg));
          },
          update: async (req) => {
            // Validated offline only: the API server may not be reachable (or trusted) yet.
            const cfg = configFromInput(req.fields);
            await locks.run(CONFIG_KEY, () => putJson(storage, CONFIG_KEY, cfg));
            return noContent();
          },
        },
        help: 'Configure how to reach the Kubernetes API server and verify service account tokens.',
      }),
      ...rolePaths({ storage, system: config.system, locks }, { fields: ROLE_FIELD_SPECS, parse: parseStoredRole, toData: roleToData, apply: applyRoleWrite }),
      definePath({
        pattern: 'login',
        fields: { role: { type: 'string' }, jwt: { type: 'string' } },
        operations: { update: async (req) => login(req.fields, req.remoteAddress) },
        help: 'Log in with a Kubernetes service account token.',
      }),
    ],
  });
  return Promise.resolve(backend);
}

/** A BackendFactory with `options` baked in (e.g. a test's local credentials directory). */
export function kubernetesFactory(options: KubernetesBackendOptions): BackendFactory {
  return (config) => createKubernetesBackend(config, options);
}
