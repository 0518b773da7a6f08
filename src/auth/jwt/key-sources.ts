// Where login JWTs' verification keys come from: static PEM keys, JWKS endpoints, or an OIDC
// discovery document's jwks_uri. Fetched documents are cached in memory and re-fetched when a
// token's key is not in the cached set, at most once per MIN_REFRESH_MS (by the injected clock)
// so a flood of tokens with bogus `kid`s cannot hammer the identity provider.

import type { JWSHeaderParameters, KeyInput } from 'jose';
import { createLocalJWKSet, errors as joseErrors } from 'jose';
import type { Clock, Logger } from '../../shared/index.js';
import type { OutboundRequest, OutboundResponse } from '../outbound/index.js';
import { parsePublicKeyPem } from './jwt-config.js';

export type KeySourceSpec =
  | { kind: 'pubkeys'; pems: readonly string[] }
  | { kind: 'jwks'; endpoints: readonly { url: string; caPem: string }[] }
  | { kind: 'discovery'; url: string; caPem: string };

export type VerifyKey = KeyInput;

export type FetchJson = (url: string, opts?: OutboundRequest) => Promise<OutboundResponse>;

export interface KeyResolver {
  /**
   * The keys that may have signed a token with this header (matched by kid/kty/alg for JWKS;
   * every static key). When none match, the key sets are re-fetched (rate-limited) and matched
   * again. Rejects with an Error (message safe to show) when a document cannot be fetched.
   */
  candidates(header: JWSHeaderParameters): Promise<VerifyKey[]>;
  /** The issuer named by the discovery document; undefined for other sources. */
  discoveredIssuer(): Promise<string | undefined>;
}

/** A kid miss triggers at most one re-fetch per this many ms. */
export const MIN_REFRESH_MS = 5_000;
/** Fetched key sets older than this are re-fetched before use, so removed keys stop working. */
export const MAX_CACHE_AGE_MS = 60 * 60 * 1000;

type LocalSet = ReturnType<typeof createLocalJWKSet>;

const trimSlash = (s: string): string => s.replace(/\/+$/, '');

async function getDocument(fetch: FetchJson, url: string, caPem: string, what: string): Promise<Record<string, unknown>> {
  let res: OutboundResponse;
  try {
    res = await fetch(url, caPem !== '' ? { caPem } : {});
  } catch (e: unknown) {
    throw new Error(`failed to fetch ${what} from ${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (res.status !== 200) throw new Error(`failed to fetch ${what} from ${url}: HTTP status ${res.status}`);
  const j = res.json;
  if (j === null || typeof j !== 'object' || Array.isArray(j)) throw new Error(`failed to fetch ${what} from ${url}: response is not a JSON object`);
  return j as Record<string, unknown>;
}

async function getKeySet(fetch: FetchJson, url: string, caPem: string): Promise<LocalSet> {
  const doc = await getDocument(fetch, url, caPem, 'JWKS');
  try {
    return createLocalJWKSet(doc as unknown as Parameters<typeof createLocalJWKSet>[0]);
  } catch {
    throw new Error(`failed to fetch JWKS from ${url}: not a JSON Web Key Set`);
  }
}

interface Discovery {
  issuer: string;
  jwksUri: string;
}

async function discover(fetch: FetchJson, url: string, caPem: string): Promise<Discovery> {
  const doc = await getDocument(fetch, `${trimSlash(url)}/.well-known/openid-configuration`, caPem, 'OIDC discovery document');
  const issuer = doc['issuer'];
  const jwksUri = doc['jwks_uri'];
  if (typeof issuer !== 'string' || typeof jwksUri !== 'string' || jwksUri === '') {
    throw new Error(`OIDC discovery document at ${url} lacks 'issuer' or 'jwks_uri'`);
  }
  // As go-oidc does: a provider must name itself by the URL it was discovered at.
  if (trimSlash(issuer) !== trimSlash(url)) {
    throw new Error(`OIDC discovery issuer did not match: expected ${JSON.stringify(url)}, got ${JSON.stringify(issuer)}`);
  }
  return { issuer, jwksUri };
}

/** The keys of one local set that match the header ([] when none). */
async function match(set: LocalSet, header: JWSHeaderParameters): Promise<VerifyKey[]> {
  try {
    return [await set(header, undefined)];
  } catch (e: unknown) {
    if (e instanceof joseErrors.JWKSNoMatchingKey) return [];
    if (e instanceof joseErrors.JWKSMultipleMatchingKeys) {
      const out: VerifyKey[] = [];
      for await (const k of e) out.push(k);
      return out;
    }
    throw e;
  }
}

interface Loaded {
  sets: LocalSet[];
  issuer: string | undefined;
  /** For discovery: where the keys were found (refreshes re-use it). */
  endpoints: { url: string; caPem: string }[];
  fetchedAt: number;
}

/**
 * Fetches everything a source needs once (used when config is written, so a bad URL, CA or
 * document is reported then). Rejects with an Error whose message is safe to show.
 */
export async function checkKeySource(spec: KeySourceSpec, fetch: FetchJson): Promise<void> {
  if (spec.kind === 'pubkeys') return;
  const endpoints = spec.kind === 'jwks' ? spec.endpoints : [await discover(fetch, spec.url, spec.caPem)].map((d) => ({ url: d.jwksUri, caPem: spec.caPem }));
  for (const ep of endpoints) await getKeySet(fetch, ep.url, ep.caPem);
}

/** A resolver for one key source; its caches live as long as it does (drop it when config changes). */
export function createKeyResolver(spec: KeySourceSpec, deps: { clock: Clock; fetch: FetchJson; logger: Logger }): KeyResolver {
  if (spec.kind === 'pubkeys') {
    const keys = spec.pems.map((p) => parsePublicKeyPem(p));
    return { candidates: async () => keys, discoveredIssuer: async () => undefined };
  }
  const { clock, fetch, logger } = deps;
  let loaded: Loaded | undefined;
  let inflight: Promise<Loaded> | undefined;
  let lastMissRefresh: number | undefined;
  // A failed fetch is remembered briefly so logins during an IdP outage don't each hit it.
  let lastFailure: { at: number; error: Error } | undefined;

  const load = async (full: boolean): Promise<Loaded> => {
    let issuer: string | undefined;
    let endpoints: { url: string; caPem: string }[];
    if (spec.kind === 'jwks') endpoints = [...spec.endpoints];
    else if (!full && loaded !== undefined) {
      endpoints = loaded.endpoints;
      issuer = loaded.issuer;
    } else {
      const d = await discover(fetch, spec.url, spec.caPem);
      endpoints = [{ url: d.jwksUri, caPem: spec.caPem }];
      issuer = d.issuer;
    }
    const sets: LocalSet[] = [];
    for (const ep of endpoints) sets.push(await getKeySet(fetch, ep.url, ep.caPem));
    return { sets, issuer, endpoints, fetchedAt: clock.now() };
  };

  /** One fetch at a time; concurrent callers share it. */
  const refresh = (full: boolean): Promise<Loaded> => {
    if (lastFailure !== undefined && clock.now() - lastFailure.at < MIN_REFRESH_MS) return Promise.reject(lastFailure.error);
    inflight ??= load(full).then(
      (l) => {
        loaded = l;
        inflight = undefined;
        lastFailure = undefined;
        return l;
      },
      (e: unknown) => {
        inflight = undefined;
        const error = e instanceof Error ? e : new Error(String(e));
        lastFailure = { at: clock.now(), error };
        logger.warn({ error: error.message }, 'jwt: could not fetch verification keys');
        throw error;
      },
    );
    return inflight;
  };

  const current = async (): Promise<Loaded> => {
    if (loaded !== undefined && clock.now() - loaded.fetchedAt < MAX_CACHE_AGE_MS) return loaded;
    try {
      return await refresh(true);
    } catch (e: unknown) {
      // An IdP outage should not lock everyone out: keep using the keys we last saw.
      if (loaded !== undefined) return loaded;
      throw e;
    }
  };

  const matchAll = async (l: Loaded, header: JWSHeaderParameters): Promise<VerifyKey[]> => {
    const out: VerifyKey[] = [];
    for (const s of l.sets) out.push(...(await match(s, header)));
    return out;
  };

  return {
    async candidates(header) {
      const l = await current();
      const found = await matchAll(l, header);
      if (found.length > 0) return found;
      const now = clock.now();
      if (lastMissRefresh !== undefined && now - lastMissRefresh < MIN_REFRESH_MS) return [];
      lastMissRefresh = now;
      return matchAll(await refresh(false), header);
    },
    async discoveredIssuer() {
      return (await current()).issuer;
    },
  };
}
