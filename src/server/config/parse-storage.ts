// `storage "TYPE" { ... }` / `ha_storage "TYPE" { ... }` (and their old names `backend`,
// `ha_backend`): validates the type and required options, stringifies option values.

import type { Stanza } from './stanzas.js';
import type { StorageConfig, StorageType } from './types.js';
import { configError, readScalarAsString, type FieldContext } from './field-readers.js';

const KNOWN_OPTIONS: Readonly<Record<StorageType, readonly string[]>> = {
  inmem: [],
  sqlite: ['path'],
  file: ['path'],
  postgresql: [
    'connection_url',
    'table',
    'max_idle_connections',
    'max_parallel',
    'max_connect_retries',
    'ha_enabled',
    'ha_table',
    'upsert_function',
    'skip_create_table',
  ],
};
// Vault reads these from any storage stanza.
const COMMON_OPTIONS = ['redirect_addr', 'cluster_addr', 'disable_clustering'];
const REQUIRED: Readonly<Record<StorageType, readonly string[]>> = { inmem: [], sqlite: ['path'], file: ['path'], postgresql: [] };

function isStorageType(t: string): t is StorageType {
  return Object.hasOwn(KNOWN_OPTIONS, t);
}

/**
 * Reads one storage stanza. `keyword` is how it was written (storage, backend, ha_storage, ha_backend).
 * Unknown options are kept but warned about; an unsupported type or a missing required option
 * throws invalid_request naming file, line and field.
 */
export function parseStorage(stanza: Stanza, keyword: string, file: string, warnings: string[]): StorageConfig {
  const where = `${keyword} ${JSON.stringify(stanza.label)}`;
  const type = stanza.label;
  if (!isStorageType(type)) {
    throw configError(file, stanza.line, `${where}: unsupported storage type ${JSON.stringify(type)}; supported types are inmem, sqlite, file, postgresql`);
  }
  const ctx: FieldContext = { file, prefix: `${where}: ` };
  const known = new Set([...KNOWN_OPTIONS[type], ...COMMON_OPTIONS]);
  const options: Record<string, string> = {};
  // A repeated option keeps its last value, as HCL1 decoding does.
  for (const attr of stanza.body.attributes) {
    const value = readScalarAsString(ctx, attr);
    Object.defineProperty(options, attr.key, { value, enumerable: true, writable: true, configurable: true });
    if (!known.has(attr.key)) warnings.push(`${file}:${attr.pos.line}: ${where}: unknown option ${JSON.stringify(attr.key)} ignored`);
  }
  for (const block of stanza.body.blocks) {
    warnings.push(`${file}:${block.pos.line}: ${where}: unknown block ${JSON.stringify(block.type)} ignored`);
  }
  for (const field of REQUIRED[type]) {
    if ((options[field] ?? '') === '') throw configError(file, stanza.line, `${where}: ${field} is required`);
  }
  return { type, options, file, line: stanza.line };
}
