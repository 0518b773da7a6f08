// The jwt auth method (also mounted as `oidc`): config, roles, and `login` with a signed JWT
// checked against JWKS, OIDC discovery or static keys. A login returns a LoginGrant (the core
// mints the token). The browser OIDC redirect flow is declared but not supported.

import type { BackendConfig, BackendResponse, LogicalBackend, Storage } from '../../sdk/index.js';
import { createBackend, dataResponse, definePath, getJson, noContent, putJson } from '../../sdk/index.js';
import { CofferError, createKeyedMutex } from '../../shared/index.js';
import { fetchJson } from '../outbound/index.js';
import { loadRole, roleLoginRenewal, rolePaths } from '../role-paths.js';
import { addressAllowed, tokenGrant } from '../token-fields.js';
import { getClaim, checkBoundClaims, groupsFromClaim, mapClaims } from './claims.js';
import type { JwtConfig } from './jwt-config.js';
import { configFromInput, configToData, DEFAULT_JWT_ALGS, keySourceOf, parseStoredConfig } from './jwt-config.js';
import { applyRoleWrite, DEFAULT_CLOCK_SKEW_LEEWAY, DEFAULT_EXP_NBF_LEEWAY, effectiveLeeway, parseStoredRole, ROLE_FIELD_SPECS, roleToData } from './jwt-role.js';
import type { FetchJson, KeyResolver } from './key-sources.js';
import { checkKeySource, createKeyResolver } from './key-sources.js';
import { verifyToken } from './verify-token.js';

const CONFIG_KEY = 'config';
/** Vault's browser/device OIDC flow paths: declared (unauthenticated) so clients get a clear 400. */
const OIDC_PATHS = ['oidc/auth_url', 'oidc/callback', 'oidc/poll'] as const;

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);

/** Extra dependencies tests (or the lead) may inject; production uses the defaults. */
export interface JwtBackendOptions {
  /** The outbound HTTP client for JWKS and discovery; default fetchJson. */
  fetch?: FetchJson;
}

const loadConfig = async (storage: Storage): Promise<JwtConfig | undefined> => parseStoredConfig(await getJson(storage, CONFIG_KEY));

/** Builds a jwt/oidc backend over the mount's storage. `login` and the oidc paths are unauthenticated. */
export function createJwtBackend(config: BackendConfig, options: JwtBackendOptions = {}): Promise<LogicalBackend> {
  const storage = config.storage;
  const clock = config.clock;
  const fetch = options.fetch ?? fetchJson;
  const locks = createKeyedMutex();

  // One resolver per key-source configuration: a changed config (written here or seen in
  // storage) gets a fresh resolver, which drops every cached document.
  let resolver: { fingerprint: string; keys: KeyResolver } | undefined;
  const resolverFor = (cfg: JwtConfig): KeyResolver => {
    const spec = keySourceOf(cfg);
    const fingerprint = JSON.stringify(spec);
    if (resolver?.fingerprint !== fingerprint) resolver = { fingerprint, keys: createKeyResolver(spec, { clock, fetch, logger: config.logger }) };
    return resolver.keys;
  };

  const configFields = {
    oidc_discovery_url: { type: 'string' },
    oidc_discovery_ca_pem: { type: 'string' },
    oidc_client_id: { type: 'string' },
    oidc_client_secret: { type: 'string' },
    oidc_response_mode: { type: 'string' },
    oidc_response_types: { type: 'comma-list' },
    jwks_url: { type: 'string' },
    jwks_ca_pem: { type: 'string' },
    jwks_pairs: { type: 'any' },
    jwt_validation_pubkeys: { type: 'comma-list' },
    jwt_supported_algs: { type: 'comma-list' },
    bound_issuer: { type: 'string' },
    default_role: { type: 'string' },
    provider_config: { type: 'map' },
    namespace_in_state: { type: 'bool' },
  } as const;

  const login = async (fields: { role: string | undefined; jwt: string | undefined }, remoteAddress: string): Promise<BackendResponse> => {
    const cfg = await loadConfig(storage);
    if (cfg === undefined) throw bad('could not load configuration');
    const name = (fields.role ?? '') !== '' ? (fields.role ?? '').toLowerCase() : cfg.defaultRole;
    if (name === '') throw bad('missing role');
    const role = await loadRole(storage, name, parseStoredRole);
    if (role === undefined) throw bad(`role ${JSON.stringify(name)} could not be found`);
    if (role.roleType === 'oidc') throw bad('role with oidc role_type is not allowed');
    const token = fields.jwt ?? '';
    if (token === '') throw bad('missing jwt');
    if (!addressAllowed(role.token.boundCidrs, remoteAddress)) throw new CofferError('permission_denied', 'permission denied');

    const keys = resolverFor(cfg);
    let issuer: string | undefined = cfg.boundIssuer !== '' ? cfg.boundIssuer : undefined;
    if (issuer === undefined) {
      try {
        issuer = await keys.discoveredIssuer();
      } catch (e: unknown) {
        throw bad(`error validating token: ${e instanceof Error ? e.message : 'failed to fetch keys'}`);
      }
    }
    const claims = await verifyToken(token, keys, {
      algorithms: cfg.jwtSupportedAlgs.length > 0 ? cfg.jwtSupportedAlgs : DEFAULT_JWT_ALGS,
      issuer,
      subject: role.boundSubject !== '' ? role.boundSubject : undefined,
      audiences: role.boundAudiences,
      now: clock.now(),
      expLeeway: effectiveLeeway(role.expirationLeeway, DEFAULT_EXP_NBF_LEEWAY),
      nbfLeeway: effectiveLeeway(role.notBeforeLeeway, DEFAULT_EXP_NBF_LEEWAY),
      skewLeeway: effectiveLeeway(role.clockSkewLeeway, DEFAULT_CLOCK_SKEW_LEEWAY),
    });

    const boundMsg = checkBoundClaims(claims, role.boundClaims, role.boundClaimsType);
    if (boundMsg !== undefined) throw bad(`error validating claims: ${boundMsg}`);

    const userRaw = getClaim(claims, role.userClaim, role.userClaimJsonPointer);
    if (userRaw === undefined || userRaw === null) throw bad(`claim ${JSON.stringify(role.userClaim)} not found in token`);
    if ((typeof userRaw !== 'string' && typeof userRaw !== 'number') || userRaw === '') {
      throw bad(`claim ${JSON.stringify(role.userClaim)} could not be converted to string`);
    }
    const aliasName = String(userRaw);
    let mapped: Record<string, string>;
    let groups: string[] | undefined;
    try {
      mapped = mapClaims(claims, role.claimMappings);
      if (role.groupsClaim !== '') groups = groupsFromClaim(claims, role.groupsClaim);
    } catch (e: unknown) {
      throw bad(e instanceof Error ? e.message : 'error reading claims');
    }
    // As in Vault: the alias carries the mapped claims; the token also names the role.
    const metadata = { ...mapped, role: name };
    const grant = tokenGrant(role.token, { metadata, displayName: aliasName, alias: { name: aliasName, metadata: mapped } });
    return { kind: 'data', data: null, grant: groups === undefined ? grant : { ...grant, groupAliases: groups } };
  };

  const oidcUnsupported = async (): Promise<BackendResponse> => {
    throw bad('OIDC redirect flow is not supported');
  };

  const backend = createBackend({
    specialPaths: { unauthenticated: ['login', ...OIDC_PATHS] },
    renewLogin: roleLoginRenewal(storage, parseStoredRole),
    paths: [
      definePath({
        pattern: 'config',
        fields: configFields,
        operations: {
          read: async () => {
            const cfg = await loadConfig(storage);
            return cfg === undefined ? noContent() : dataResponse(configToData(cfg));
          },
          update: async (req) => {
            const cfg = configFromInput(req.fields, await loadConfig(storage));
            try {
              await checkKeySource(keySourceOf(cfg), fetch);
            } catch (e: unknown) {
              const what = cfg.oidcDiscoveryUrl !== '' ? 'oidc discovery URL' : 'jwks URL';
              throw bad(`error checking ${what}: ${e instanceof Error ? e.message : String(e)}`);
            }
            await locks.run(CONFIG_KEY, () => putJson(storage, CONFIG_KEY, cfg));
            resolver = undefined;
            return noContent();
          },
        },
        help: 'Configure the JWT key source, issuer and defaults.',
      }),
      ...rolePaths({ storage, system: config.system, locks }, { fields: ROLE_FIELD_SPECS, parse: parseStoredRole, toData: roleToData, apply: applyRoleWrite }),
      definePath({
        pattern: 'login',
        fields: { role: { type: 'string' }, jwt: { type: 'string' } },
        operations: { update: async (req) => login(req.fields, req.remoteAddress) },
        help: 'Log in with a signed JWT.',
      }),
      ...OIDC_PATHS.map((pattern) =>
        definePath({
          pattern,
          anyData: true,
          operations: { read: oidcUnsupported, update: oidcUnsupported },
          help: 'The OIDC browser redirect flow (not supported).',
        }),
      ),
    ],
  });
  return Promise.resolve(backend);
}
