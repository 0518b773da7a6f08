// Storage as a plugin sees it: plaintext bytes under keys relative to the plugin's own view.
// The barrier enforces encryption and the view prefix; plugins never see anything else.

import { CofferError } from '../shared/index.js';

export interface Storage {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Direct children of `prefix` ("" or ending in '/'); sub-folders end in '/'. */
  list(prefix: string): Promise<string[]>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads and JSON-decodes an entry; undefined when absent. Corrupt JSON is an internal error. */
export async function getJson(storage: Storage, key: string): Promise<unknown> {
  return (await getJsonSized(storage, key)).value;
}

/** getJson plus the entry's stored size in bytes (0 when absent), for callers that bound caches by it. */
export async function getJsonSized(storage: Storage, key: string): Promise<{ value: unknown; size: number }> {
  const raw = await storage.get(key);
  if (raw === undefined) return { value: undefined, size: 0 };
  try {
    return { value: JSON.parse(decoder.decode(raw)) as unknown, size: raw.byteLength };
  } catch {
    throw new CofferError('internal', `stored entry ${JSON.stringify(key)} is not valid JSON`);
  }
}

export async function putJson(storage: Storage, key: string, value: unknown): Promise<void> {
  await storage.put(key, encoder.encode(JSON.stringify(value)));
}

/** Recursively collects every leaf key under `prefix` (which is "" or ends in '/'). */
export async function collectKeys(storage: Storage, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const child of await storage.list(prefix)) {
    if (child.endsWith('/')) out.push(...(await collectKeys(storage, prefix + child)));
    else out.push(prefix + child);
  }
  return out;
}
