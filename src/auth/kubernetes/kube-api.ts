// The two read calls a login may make besides TokenReview: a namespace's labels (for the role's
// namespace selector) and a service account's annotations (for alias metadata).

import type { FetchJson } from './token-review.js';

export interface KubeApiAccess {
  baseUrl: string;
  bearer: string;
  caPem: string | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

async function getMetadataMap(fetch: FetchJson, api: KubeApiAccess, path: string, key: 'labels' | 'annotations'): Promise<Record<string, string>> {
  const res = await fetch(api.baseUrl + path, {
    headers: { authorization: `Bearer ${api.bearer}` },
    ...(api.caPem !== undefined ? { caPem: api.caPem } : {}),
  });
  if (res.status !== 200) throw new Error(`GET ${path} answered HTTP ${res.status}`);
  const body = res.json;
  const meta = isObject(body) ? body['metadata'] : undefined;
  const map = isObject(meta) ? meta[key] : undefined;
  const out: Record<string, string> = {};
  if (isObject(map)) {
    for (const [k, v] of Object.entries(map)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** The labels of namespace `ns`. Rejects on network failure or a non-200 answer. */
export function namespaceLabels(fetch: FetchJson, api: KubeApiAccess, ns: string): Promise<Record<string, string>> {
  return getMetadataMap(fetch, api, `/api/v1/namespaces/${encodeURIComponent(ns)}`, 'labels');
}

/** The annotations of service account `name` in `ns`. Rejects on network failure or a non-200 answer. */
export function serviceAccountAnnotations(fetch: FetchJson, api: KubeApiAccess, ns: string, name: string): Promise<Record<string, string>> {
  return getMetadataMap(fetch, api, `/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts/${encodeURIComponent(name)}`, 'annotations');
}
