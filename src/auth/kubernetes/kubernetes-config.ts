// The kubernetes mount's config: its stored form, how a write is validated (a host, parseable
// CA certificates and PEM keys — no network call) and Vault's read-back shape.

import { X509Certificate, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { FieldSpecs, FieldValues } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';

export interface KubernetesConfig {
  kubernetesHost: string;
  kubernetesCaCert: string;
  /** Never read back. */
  tokenReviewerJwt: string;
  pemKeys: string[];
  issuer: string;
  disableIssValidation: boolean;
  disableLocalCaJwt: boolean;
  useAnnotationsAsAliasMetadata: boolean;
}

export const CONFIG_FIELD_SPECS = {
  kubernetes_host: { type: 'string' },
  kubernetes_ca_cert: { type: 'string' },
  token_reviewer_jwt: { type: 'string' },
  pem_keys: { type: 'comma-list' },
  issuer: { type: 'string' },
  disable_iss_validation: { type: 'bool' },
  disable_local_ca_jwt: { type: 'bool' },
  use_annotations_as_alias_metadata: { type: 'bool' },
} as const satisfies FieldSpecs;

const bad = (msg: string): CofferError => new CofferError('invalid_request', msg);

/** Parses a PEM public key or certificate (its public key); throws when neither. */
export function parsePublicKeyPem(pem: string): KeyObject {
  if (pem.includes('-----BEGIN CERTIFICATE-----')) return new X509Certificate(pem).publicKey;
  return createPublicKey({ key: pem, format: 'pem' });
}

/** The API server's base URL: the host as configured, with https:// added when it has no scheme. */
export function apiBaseUrl(host: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `https://${host}`;
  return withScheme.replace(/\/+$/, '');
}

/**
 * Builds the config a write describes (a write replaces the whole config, as Vault's does) and
 * validates it: host present and a URL, CA containing only parseable certificates, every PEM
 * key parseable. Throws invalid_request otherwise.
 */
export function configFromInput(f: FieldValues<typeof CONFIG_FIELD_SPECS>): KubernetesConfig {
  const cfg: KubernetesConfig = {
    kubernetesHost: (f.kubernetes_host ?? '').trim(),
    kubernetesCaCert: f.kubernetes_ca_cert ?? '',
    tokenReviewerJwt: (f.token_reviewer_jwt ?? '').trim(),
    pemKeys: f.pem_keys ?? [],
    issuer: f.issuer ?? '',
    disableIssValidation: f.disable_iss_validation ?? true,
    disableLocalCaJwt: f.disable_local_ca_jwt ?? false,
    useAnnotationsAsAliasMetadata: f.use_annotations_as_alias_metadata ?? false,
  };
  if (cfg.kubernetesHost === '') throw bad('no host provided');
  let url: URL;
  try {
    url = new URL(apiBaseUrl(cfg.kubernetesHost));
  } catch {
    throw bad(`invalid kubernetes_host ${JSON.stringify(cfg.kubernetesHost)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad(`invalid kubernetes_host ${JSON.stringify(cfg.kubernetesHost)}: scheme must be https or http`);
  checkCaPem(cfg.kubernetesCaCert);
  for (const pem of cfg.pemKeys) {
    try {
      parsePublicKeyPem(pem);
    } catch {
      throw bad('data does not contain any valid public keys: every entry of pem_keys must be a PEM public key or certificate');
    }
  }
  return cfg;
}

function checkCaPem(pem: string): void {
  if (pem.trim() === '') return;
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw bad('kubernetes_ca_cert contains no PEM certificates');
  for (const b of blocks) {
    try {
      new X509Certificate(b);
    } catch {
      throw bad('kubernetes_ca_cert contains an invalid PEM certificate');
    }
  }
}

/** Vault's read shape (token_reviewer_jwt only as token_reviewer_jwt_set). */
export function configToData(cfg: KubernetesConfig): Record<string, unknown> {
  return {
    kubernetes_host: cfg.kubernetesHost,
    kubernetes_ca_cert: cfg.kubernetesCaCert,
    pem_keys: [...cfg.pemKeys],
    issuer: cfg.issuer,
    disable_iss_validation: cfg.disableIssValidation,
    disable_local_ca_jwt: cfg.disableLocalCaJwt,
    token_reviewer_jwt_set: cfg.tokenReviewerJwt !== '',
    use_annotations_as_alias_metadata: cfg.useAnnotationsAsAliasMetadata,
  };
}

/** Parses the stored form back; undefined when there is none (or it is unusable). */
export function parseStoredConfig(v: unknown): KubernetesConfig | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const s = (x: unknown): string => (typeof x === 'string' ? x : '');
  const host = s(o['kubernetesHost']);
  if (host === '') return undefined;
  return {
    kubernetesHost: host,
    kubernetesCaCert: s(o['kubernetesCaCert']),
    tokenReviewerJwt: s(o['tokenReviewerJwt']),
    pemKeys: Array.isArray(o['pemKeys']) ? (o['pemKeys'] as unknown[]).filter((x): x is string => typeof x === 'string') : [],
    issuer: s(o['issuer']),
    disableIssValidation: o['disableIssValidation'] !== false,
    disableLocalCaJwt: o['disableLocalCaJwt'] === true,
    useAnnotationsAsAliasMetadata: o['useAnnotationsAsAliasMetadata'] === true,
  };
}
