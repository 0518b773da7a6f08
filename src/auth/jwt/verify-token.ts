// Verifies a login JWT with jose: signature against the resolver's candidate keys, allowed
// algorithms, iss / sub / aud, and exp / nbf / iat by Vault's rules (clock-skew leeway on the
// claims present; the exp / nbf leeways stand in for missing claims) against the injected
// clock. Failures become 400s prefixed "error validating token:".

import type { JWTPayload, JWTVerifyOptions } from 'jose';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { CofferError } from '../../shared/index.js';
import type { KeyResolver } from './key-sources.js';

export interface TokenRules {
  algorithms: readonly string[];
  /** Required `iss`; undefined = not checked. */
  issuer: string | undefined;
  /** Required `sub`; undefined = not checked. */
  subject: string | undefined;
  /** `aud` must contain one; empty = the token must carry no audience. */
  audiences: readonly string[];
  /** ms since the epoch (the injected clock). */
  now: number;
  /** Effective leeways in seconds (defaults already applied). */
  expLeeway: number;
  nbfLeeway: number;
  skewLeeway: number;
}

const fail = (why: string): CofferError => new CofferError('invalid_request', `error validating token: ${why}`);

function claimFailure(claim: string): CofferError {
  switch (claim) {
    case 'iss':
      return fail('invalid issuer (iss) claim');
    case 'sub':
      return fail('invalid subject (sub) claim');
    case 'aud':
      return fail('invalid audience (aud) claim: audience claim does not match any expected audience');
    case 'exp':
      return fail('invalid expiration time (exp) claim: token is expired');
    case 'nbf':
      return fail('invalid not before (nbf) claim: token not yet valid');
    case 'iat':
      return fail('invalid issued at (iat) claim: token issued in the future');
    default:
      return fail(`invalid ${JSON.stringify(claim)} claim`);
  }
}

/** Errors after which another candidate key cannot help (the signature was fine or the token is malformed). */
const isFinal = (e: unknown): boolean =>
  e instanceof joseErrors.JWTClaimValidationFailed ||
  e instanceof joseErrors.JWTExpired ||
  e instanceof joseErrors.JWTInvalid ||
  e instanceof joseErrors.JWSInvalid ||
  e instanceof joseErrors.JOSEAlgNotAllowed;

function translate(e: unknown): CofferError {
  if (e instanceof joseErrors.JWTExpired || e instanceof joseErrors.JWTClaimValidationFailed) return claimFailure(e.claim);
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return fail('invalid algorithm (alg) header parameter: token signed with unexpected algorithm');
  if (e instanceof joseErrors.JWTInvalid || e instanceof joseErrors.JWSInvalid) return fail('malformed token');
  return fail('error verifying token signature: failed to verify id token signature');
}

/**
 * Vault's time rules: at least one of iat/nbf/exp; a missing exp is the later of iat/nbf plus
 * the expiration leeway; a missing nbf is iat, else exp minus the not-before leeway; then nbf,
 * exp and iat are checked against now with the clock-skew leeway only.
 */
function checkTimes(payload: JWTPayload, rules: TokenRules): void {
  const num = (claim: 'iat' | 'nbf' | 'exp'): number => {
    const v = payload[claim];
    if (v === undefined) return 0;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw claimFailure(claim);
    return v;
  };
  const iat = num('iat');
  let nbf = num('nbf');
  let exp = num('exp');
  if (iat === 0 && nbf === 0 && exp === 0) throw fail('no issued at (iat), not before (nbf), or expiration time (exp) claims in token');
  if (exp === 0) exp = Math.max(iat, nbf) + rules.expLeeway;
  if (nbf === 0) nbf = iat !== 0 ? iat : exp - rules.nbfLeeway;
  const now = rules.now / 1000;
  const skew = rules.skewLeeway;
  if (now + skew < nbf) throw claimFailure('nbf');
  if (now - skew > exp) throw claimFailure('exp');
  if (now + skew < iat) throw claimFailure('iat');
}

/**
 * Verifies `token` and returns its claims. Throws invalid_request ("error validating token: …")
 * for a malformed token, a disallowed algorithm, no key verifying the signature (after the
 * resolver's rate-limited re-fetch), a key source that cannot be fetched, or any claim check.
 */
export async function verifyToken(token: string, keys: KeyResolver, rules: TokenRules): Promise<Record<string, unknown>> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw fail('malformed token');
  }
  if (typeof header.alg !== 'string' || !rules.algorithms.includes(header.alg)) throw fail('invalid algorithm (alg) header parameter: token signed with unexpected algorithm');
  let candidates;
  try {
    candidates = await keys.candidates(header);
  } catch (e: unknown) {
    throw fail(e instanceof Error ? e.message : 'failed to fetch keys');
  }
  // jose checks the exp/nbf present with one tolerance and a stricter boundary (exp == now
  // fails); give it a second more and apply Vault's exact rules below.
  const tolerance = rules.skewLeeway + 1;
  const options: JWTVerifyOptions = {
    algorithms: [...rules.algorithms],
    currentDate: new Date(rules.now),
    clockTolerance: tolerance,
    ...(rules.issuer !== undefined ? { issuer: rules.issuer } : {}),
    ...(rules.subject !== undefined ? { subject: rules.subject } : {}),
    ...(rules.audiences.length > 0 ? { audience: [...rules.audiences] } : {}),
  };
  let payload: JWTPayload | undefined;
  let lastError: unknown;
  for (const key of candidates) {
    try {
      payload = (await jwtVerify(token, key, options)).payload;
      break;
    } catch (e: unknown) {
      if (isFinal(e)) throw translate(e);
      lastError = e;
    }
  }
  if (payload === undefined) throw translate(lastError);
  checkTimes(payload, rules);
  if (rules.audiences.length === 0) {
    const aud = payload.aud;
    if ((typeof aud === 'string' && aud !== '') || (Array.isArray(aud) && aud.length > 0)) {
      throw new CofferError('invalid_request', 'audience claim found in JWT but no audiences bound to the role');
    }
  }
  return payload;
}
