// The TokenReview call: asks the API server whether a login JWT is a live service account token
// and checks the answer against the identity the JWT's own claims name.

import type { OutboundRequest, OutboundResponse } from '../outbound/index.js';

export type FetchJson = (url: string, opts?: OutboundRequest) => Promise<OutboundResponse>;

export interface TokenReviewCall {
  /** The API server's base URL (no trailing '/'). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`. */
  bearer: string;
  /** CA bundle for TLS; undefined = system roots. */
  caPem: string | undefined;
  /** The login JWT under review. */
  token: string;
  /** spec.audiences; omitted when empty. */
  audiences: readonly string[];
}

export interface ExpectedAccount {
  namespace: string;
  name: string;
  uid: string;
}

export type ReviewOutcome = { ok: true } | { ok: false; reason: string; /** the API server could not be reached */ unreachable: boolean };

export const TOKEN_REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The request body (apiVersion/kind included; the API server accepts the form without them too). */
export function tokenReviewBody(token: string, audiences: readonly string[]): Record<string, unknown> {
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    metadata: { creationTimestamp: null },
    spec: { token, ...(audiences.length > 0 ? { audiences: [...audiences] } : {}) },
    status: { user: {} },
  };
}

/**
 * POSTs a TokenReview and checks the answer: a 200–206 status, no failed `Status` object, no
 * status.error, status.authenticated true, an overlap with the requested audiences, a username
 * `system:serviceaccount:<ns>:<name>` and a uid equal to `expected`. Never rejects: the outcome
 * carries the reason for the server log (clients only ever see "permission denied").
 */
export async function reviewToken(fetch: FetchJson, call: TokenReviewCall, expected: ExpectedAccount): Promise<ReviewOutcome> {
  let res: OutboundResponse;
  try {
    res = await fetch(call.baseUrl + TOKEN_REVIEW_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${call.bearer}` },
      body: tokenReviewBody(call.token, call.audiences),
      ...(call.caPem !== undefined ? { caPem: call.caPem } : {}),
    });
  } catch (e: unknown) {
    return { ok: false, unreachable: true, reason: `TokenReview request failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const reason = checkAnswer(res, call.audiences, expected);
  return reason === undefined ? { ok: true } : { ok: false, unreachable: false, reason };
}

function checkAnswer(res: OutboundResponse, audiences: readonly string[], expected: ExpectedAccount): string | undefined {
  if (res.status === 401) return 'service account unauthorized; deleted or recreated?';
  if (res.status < 200 || res.status > 206) return `TokenReview answered HTTP ${res.status}`;
  const body = res.json;
  if (!isObject(body)) return 'TokenReview answer is not a JSON object';
  if (body['kind'] === 'Status' && body['status'] !== 'Success') return `TokenReview failed: ${String(body['message'] ?? body['status'])}`;
  const status = body['status'];
  if (!isObject(status)) return 'TokenReview answer has no status';
  const err = status['error'];
  if (typeof err === 'string' && err !== '') return `lookup failed: ${err}`;
  if (status['authenticated'] !== true) return 'lookup failed: service account jwt not valid';
  if (audiences.length > 0) {
    const got = Array.isArray(status['audiences']) ? (status['audiences'] as unknown[]) : [];
    if (!audiences.some((a) => got.includes(a))) return 'TokenReview audiences do not match the requested audiences';
  }
  const user = isObject(status['user']) ? status['user'] : {};
  const username = typeof user['username'] === 'string' ? user['username'] : '';
  const parts = username.split(':');
  if (parts.length !== 4 || parts[0] !== 'system' || parts[1] !== 'serviceaccount') return 'lookup failed: JWT does not name a service account';
  if (parts[2] !== expected.namespace) return 'JWT namespaces did not match';
  if (parts[3] !== expected.name) return 'JWT names did not match';
  if (user['uid'] !== expected.uid) return 'JWT UIDs did not match';
  return undefined;
}
