// The jwt/oidc mount's config: its stored form, how a write is validated (exactly one key source,
// parseable PEM keys and CAs, known algorithms) and Vault's read-back shape.

import { X509Certificate, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CofferError } from '../../shared/index.js';
import type { KeySourceSpec } from './key-sources.js';

export interface JwksPair {
  jwksUrl: string;
  jwksCaPem: string;
}

export interface JwtConfig {
  oidcDiscoveryUrl: string;
  oidcDiscoveryCaPem: string;
  oidcClientId: string;
  /** Never read back. */
  oidcClientSecret: string;
  oidcResponseMode: string;
  oidcResponseTypes: string[];
  jwksUrl: string;
  jwksCaPem: string;
  jwksPairs: JwksPair[];
  jwtValidationPubkeys: string[];
  jwtSupportedAlgs: string[];
  boundIssuer: string;
  defaultRole: string;
  providerConfig: Record<string, unknown>;
  namespaceInState: boolean;
}

/** Algorithms a jwt login accepts when jwt_supported_algs is empty. */
export const DEFAULT_JWT_ALGS: readonly string[] = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA'];

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);

/** The raw config fields of a write (already typed by the framework). */
export interface ConfigInput {
  oidc_discovery_url: string | undefined;
  oidc_discovery_ca_pem: string | undefined;
  oidc_client_id: string | undefined;
  oidc_client_secret: string | undefined;
  oidc_response_mode: string | undefined;
  oidc_response_types: string[] | undefined;
  jwks_url: string | undefined;
  jwks_ca_pem: string | undefined;
  jwks_pairs: unknown;
  jwt_validation_pubkeys: string[] | undefined;
  jwt_supported_algs: string[] | undefined;
  bound_issuer: string | undefined;
  default_role: string | undefined;
  provider_config: Record<string, unknown> | undefined;
  namespace_in_state: boolean | undefined;
}

/** Parses a PEM public key or certificate (its public key); throws when neither. */
export function parsePublicKeyPem(pem: string): KeyObject {
  if (pem.includes('-----BEGIN CERTIFICATE-----')) return new X509Certificate(pem).publicKey;
  const key = createPublicKey({ key: pem, format: 'pem' });
  return key;
}

/** Throws 400 naming `field` unless `pem` holds at least one parseable certificate. */
function checkCaPem(pem: string, field: string): void {
  if (pem === '') return;
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw bad(`could not parse '${field}': no PEM certificates found`);
  for (const b of blocks) {
    try {
      new X509Certificate(b);
    } catch {
      throw bad(`could not parse '${field}': invalid PEM certificate`);
    }
  }
}

function parsePairs(v: unknown): JwksPair[] {
  if (v === undefined || v === null || v === '') return [];
  let raw: unknown = v;
  if (typeof v === 'string') {
    try {
      raw = JSON.parse(v) as unknown;
    } catch {
      throw bad("'jwks_pairs' must be a list of objects with 'jwks_url' and optional 'jwks_ca_pem'");
    }
  }
  if (!Array.isArray(raw)) throw bad("'jwks_pairs' must be a list of objects with 'jwks_url' and optional 'jwks_ca_pem'");
  return raw.map((p: unknown): JwksPair => {
    let entry: unknown = p;
    if (typeof p === 'string') {
      try {
        entry = JSON.parse(p) as unknown;
      } catch {
        entry = undefined;
      }
    }
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw bad("each 'jwks_pairs' entry must be an object with 'jwks_url'");
    const o = entry as Record<string, unknown>;
    const url = o['jwks_url'];
    const ca = o['jwks_ca_pem'] ?? '';
    if (typeof url !== 'string' || url === '' || typeof ca !== 'string') throw bad("each 'jwks_pairs' entry must be an object with 'jwks_url'");
    return { jwksUrl: url, jwksCaPem: ca };
  });
}

function checkUrl(url: string, field: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad(`'${field}' is not a valid URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw bad(`'${field}' must be an http(s) URL`);
}

/**
 * Builds and validates a config from a write (a write replaces the whole config, as in Vault,
 * except that an omitted namespace_in_state keeps `existing`'s). Throws invalid_request for:
 * zero or several key sources, bad PEM keys or CAs, unknown algorithms, bad response
 * mode/types, a lone client id or secret, jwks_pairs with jwks_ca_pem or bound_issuer.
 */
export function configFromInput(f: ConfigInput, existing: JwtConfig | undefined): JwtConfig {
  const cfg: JwtConfig = {
    oidcDiscoveryUrl: f.oidc_discovery_url ?? '',
    oidcDiscoveryCaPem: f.oidc_discovery_ca_pem ?? '',
    oidcClientId: f.oidc_client_id ?? '',
    oidcClientSecret: f.oidc_client_secret ?? '',
    oidcResponseMode: f.oidc_response_mode ?? '',
    oidcResponseTypes: f.oidc_response_types ?? [],
    jwksUrl: f.jwks_url ?? '',
    jwksCaPem: f.jwks_ca_pem ?? '',
    jwksPairs: parsePairs(f.jwks_pairs),
    jwtValidationPubkeys: (f.jwt_validation_pubkeys ?? []).filter((k) => k.trim() !== ''),
    jwtSupportedAlgs: f.jwt_supported_algs ?? [],
    boundIssuer: f.bound_issuer ?? '',
    defaultRole: (f.default_role ?? '').toLowerCase(),
    providerConfig: f.provider_config ?? {},
    // New configs default to true; a rewrite that omits it keeps the stored value.
    namespaceInState: f.namespace_in_state ?? existing?.namespaceInState ?? true,
  };
  const sources = [cfg.jwtValidationPubkeys.length > 0, cfg.jwksUrl !== '', cfg.jwksPairs.length > 0, cfg.oidcDiscoveryUrl !== ''].filter(Boolean).length;
  if (sources !== 1) {
    throw bad("exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs' or 'oidc_discovery_url' must be set");
  }
  if ((cfg.oidcClientId === '') !== (cfg.oidcClientSecret === '')) {
    throw bad("both 'oidc_client_id' and 'oidc_client_secret' must be set for OIDC");
  }
  if (cfg.oidcClientId !== '' && cfg.oidcDiscoveryUrl === '') throw bad("'oidc_discovery_url' must be set for OIDC");
  if (cfg.jwksPairs.length > 0 && cfg.jwksCaPem !== '') throw bad("CA PEMs must be provided as part of the 'jwks_pairs' when using multiple JWKS URLs");
  if (cfg.jwksPairs.length > 0 && cfg.boundIssuer !== '') throw bad("Bound issuer is not supported for use with 'jwks_pairs'");
  if (cfg.oidcDiscoveryUrl !== '') checkUrl(cfg.oidcDiscoveryUrl, 'oidc_discovery_url');
  if (cfg.jwksUrl !== '') checkUrl(cfg.jwksUrl, 'jwks_url');
  for (const p of cfg.jwksPairs) {
    checkUrl(p.jwksUrl, 'jwks_pairs');
    checkCaPem(p.jwksCaPem, 'jwks_pairs');
  }
  checkCaPem(cfg.jwksCaPem, 'jwks_ca_pem');
  checkCaPem(cfg.oidcDiscoveryCaPem, 'oidc_discovery_ca_pem');
  for (const pem of cfg.jwtValidationPubkeys) {
    try {
      parsePublicKeyPem(pem);
    } catch {
      throw bad("error parsing public key in 'jwt_validation_pubkeys': not a PEM public key or certificate");
    }
  }
  for (const alg of cfg.jwtSupportedAlgs) {
    if (!DEFAULT_JWT_ALGS.includes(alg)) throw bad(`invalid jwt_supported_algs: unsupported signing algorithm ${JSON.stringify(alg)}`);
  }
  for (const t of cfg.oidcResponseTypes) {
    if (t !== 'code' && t !== 'id_token') throw bad(`invalid response_types ${JSON.stringify(cfg.oidcResponseTypes)}. 'code' and 'id_token' are allowed`);
  }
  if (!['', 'query', 'form_post'].includes(cfg.oidcResponseMode)) throw bad(`invalid response_mode: ${JSON.stringify(cfg.oidcResponseMode)}`);
  if (cfg.oidcResponseTypes.includes('id_token') && cfg.oidcResponseMode !== 'form_post') {
    throw bad('query response_mode may not be used with an id_token response_type');
  }
  return cfg;
}

/** The key source a config names (configFromInput guarantees exactly one). */
export function keySourceOf(cfg: JwtConfig): KeySourceSpec {
  if (cfg.jwtValidationPubkeys.length > 0) return { kind: 'pubkeys', pems: cfg.jwtValidationPubkeys };
  if (cfg.oidcDiscoveryUrl !== '') return { kind: 'discovery', url: cfg.oidcDiscoveryUrl, caPem: cfg.oidcDiscoveryCaPem };
  if (cfg.jwksUrl !== '') return { kind: 'jwks', endpoints: [{ url: cfg.jwksUrl, caPem: cfg.jwksCaPem }] };
  return { kind: 'jwks', endpoints: cfg.jwksPairs.map((p) => ({ url: p.jwksUrl, caPem: p.jwksCaPem })) };
}

/** Vault's read-back field set (oidc_client_secret is never returned). */
export function configToData(cfg: JwtConfig): Record<string, unknown> {
  return {
    oidc_discovery_url: cfg.oidcDiscoveryUrl,
    oidc_discovery_ca_pem: cfg.oidcDiscoveryCaPem,
    oidc_client_id: cfg.oidcClientId,
    oidc_response_mode: cfg.oidcResponseMode,
    oidc_response_types: [...cfg.oidcResponseTypes],
    default_role: cfg.defaultRole,
    jwt_validation_pubkeys: [...cfg.jwtValidationPubkeys],
    jwt_supported_algs: [...cfg.jwtSupportedAlgs],
    jwks_url: cfg.jwksUrl,
    jwks_ca_pem: cfg.jwksCaPem,
    jwks_pairs: cfg.jwksPairs.map((p) => ({ jwks_url: p.jwksUrl, jwks_ca_pem: p.jwksCaPem })),
    bound_issuer: cfg.boundIssuer,
    provider_config: { ...cfg.providerConfig },
    namespace_in_state: cfg.namespaceInState,
    unsupported_critical_cert_extensions: [],
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string') : []);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** Parses the stored form; undefined when nothing usable is stored. */
export function parseStoredConfig(v: unknown): JwtConfig | undefined {
  const o = obj(v);
  if (o === undefined) return undefined;
  const pairs = Array.isArray(o['jwksPairs'])
    ? o['jwksPairs'].flatMap((p: unknown): JwksPair[] => {
        const po = obj(p);
        return po === undefined ? [] : [{ jwksUrl: str(po['jwksUrl']), jwksCaPem: str(po['jwksCaPem']) }];
      })
    : [];
  return {
    oidcDiscoveryUrl: str(o['oidcDiscoveryUrl']),
    oidcDiscoveryCaPem: str(o['oidcDiscoveryCaPem']),
    oidcClientId: str(o['oidcClientId']),
    oidcClientSecret: str(o['oidcClientSecret']),
    oidcResponseMode: str(o['oidcResponseMode']),
    oidcResponseTypes: strs(o['oidcResponseTypes']),
    jwksUrl: str(o['jwksUrl']),
    jwksCaPem: str(o['jwksCaPem']),
    jwksPairs: pairs,
    jwtValidationPubkeys: strs(o['jwtValidationPubkeys']),
    jwtSupportedAlgs: strs(o['jwtSupportedAlgs']),
    boundIssuer: str(o['boundIssuer']),
    defaultRole: str(o['defaultRole']),
    providerConfig: obj(o['providerConfig']) ?? {},
    namespaceInState: o['namespaceInState'] !== false,
  };
}
