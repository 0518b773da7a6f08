// Reads a login JWT as a service account token: allowed algorithm, signature (only when pem_keys
// are configured; otherwise the TokenReview is the trust anchor), exp/nbf/iat when present, iss
// when issuer validation is on, aud when the role names an audience — then the service account
// identity from either the legacy (secret-based) or the projected claim shape.

import type { KeyObject } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { CofferError } from '../../shared/index.js';

/** Signing algorithms a service account token may use. */
export const SA_TOKEN_ALGS: readonly string[] = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512'];

/** Issuer assumed for legacy tokens when issuer validation is on and no issuer is configured. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

/** Seconds of clock skew tolerated on exp / nbf / iat. */
export const CLOCK_LEEWAY_SECONDS = 60;

export interface ServiceAccountIdentity {
  namespace: string;
  name: string;
  uid: string;
  /** Legacy tokens only; "" for projected tokens. */
  secretName: string;
  /** The token's `aud` values ([] when it has none). */
  audiences: string[];
}

export interface TokenChecks {
  /** Keys from pem_keys; empty = the signature is not checked here. */
  keys: readonly KeyObject[];
  /** ms since the epoch (the injected clock). */
  now: number;
  /** Required `iss`; undefined = not checked. */
  issuer: string | undefined;
  /** The role's audience; "" = not checked. */
  audience: string;
}

const denied = (): CofferError => new CofferError('permission_denied', 'permission denied');

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return aud === '' ? [] : [aud];
  if (Array.isArray(aud)) return (aud as unknown[]).filter((a): a is string => typeof a === 'string');
  return [];
}

/** The identity claims, projected shape first (it takes precedence), then the legacy flat claims. */
export function identityFromClaims(claims: Record<string, unknown>): Omit<ServiceAccountIdentity, 'audiences'> {
  const k8s = claims['kubernetes.io'];
  if (k8s !== null && typeof k8s === 'object' && !Array.isArray(k8s)) {
    const o = k8s as Record<string, unknown>;
    const sa = o['serviceaccount'];
    const s = sa !== null && typeof sa === 'object' ? (sa as Record<string, unknown>) : {};
    return { namespace: str(o['namespace']), name: str(s['name']), uid: str(s['uid']), secretName: '' };
  }
  return {
    namespace: str(claims['kubernetes.io/serviceaccount/namespace']),
    name: str(claims['kubernetes.io/serviceaccount/service-account.name']),
    uid: str(claims['kubernetes.io/serviceaccount/service-account.uid']),
    secretName: str(claims['kubernetes.io/serviceaccount/secret.name']),
  };
}

async function verifiedClaims(jwt: string, keys: readonly KeyObject[], now: number): Promise<JWTPayload> {
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(jwt, key, { algorithms: [...SA_TOKEN_ALGS], currentDate: new Date(now), clockTolerance: CLOCK_LEEWAY_SECONDS });
      return payload;
    } catch {
      // try the next key
    }
  }
  throw denied();
}

/**
 * Parses and checks `jwt` per `checks` and returns the service account it names. Every failure
 * is permission_denied ("permission denied"), revealing nothing about which check failed.
 */
export async function readServiceAccountToken(jwt: string, checks: TokenChecks): Promise<ServiceAccountIdentity> {
  let claims: JWTPayload;
  try {
    const header = decodeProtectedHeader(jwt);
    if (typeof header.alg !== 'string' || !SA_TOKEN_ALGS.includes(header.alg)) throw denied();
    claims = decodeJwt(jwt);
  } catch {
    throw denied();
  }
  if (checks.keys.length > 0) claims = await verifiedClaims(jwt, checks.keys, checks.now);
  const nowSec = Math.floor(checks.now / 1000);
  const { exp, nbf, iat } = claims;
  if (exp !== undefined && (typeof exp !== 'number' || nowSec - CLOCK_LEEWAY_SECONDS > exp)) throw denied();
  if (nbf !== undefined && (typeof nbf !== 'number' || nowSec + CLOCK_LEEWAY_SECONDS < nbf)) throw denied();
  if (iat !== undefined && (typeof iat !== 'number' || nowSec + CLOCK_LEEWAY_SECONDS < iat)) throw denied();
  if (checks.issuer !== undefined && claims.iss !== checks.issuer) throw denied();
  const audiences = audiencesOf(claims.aud);
  if (checks.audience !== '' && !audiences.includes(checks.audience)) throw denied();
  return { ...identityFromClaims(claims), audiences };
}
