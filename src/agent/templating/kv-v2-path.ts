// consul-template's KV v2 addressing: a template may name `secret/app` on a KV v2 mount; the
// mount is looked up once (sys/internal/ui/mounts/<path>) and `data/` (reads) or `metadata/`
// (lists) is inserted after the mount point when the path lacks it.

import type { VaultConnection } from '../vault-connection.js';

/** The API path to use for `path`; unchanged when the mount is not KV v2 or the lookup fails. */
export async function resolveKvV2Path(conn: VaultConnection, token: string | undefined, kind: 'read' | 'list', path: string): Promise<string> {
  const clean = path.replace(/^\/+/, '');
  const q = clean.indexOf('?');
  const bare = q < 0 ? clean : clean.slice(0, q);
  const query = q < 0 ? '' : clean.slice(q);
  let body: unknown;
  try {
    const res = await conn.raw('GET', `sys/internal/ui/mounts/${bare}`, token !== undefined ? { token } : {});
    if (res.status !== 200) return clean;
    body = JSON.parse(res.text) as unknown;
  } catch {
    return clean;
  }
  const data = isObject(body) && isObject(body['data']) ? body['data'] : undefined;
  const options = data !== undefined && isObject(data['options']) ? data['options'] : undefined;
  const mount = typeof data?.['path'] === 'string' ? data['path'].replace(/^\/+/, '') : '';
  if (data?.['type'] !== 'kv' || String(options?.['version']) !== '2' || mount === '' || !bare.startsWith(mount)) return clean;
  const rest = bare.slice(mount.length);
  const prefixes = kind === 'read' ? ['data/', 'metadata/', 'subkeys/'] : ['metadata/'];
  if (prefixes.some((p) => rest.startsWith(p))) return clean;
  return `${mount}${kind === 'read' ? 'data/' : 'metadata/'}${rest}${query}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
