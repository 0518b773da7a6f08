// Builds the physical storage backend a config's `storage` stanza names.

import { join } from 'node:path';
import { CofferError } from '../shared/index.js';
import type { Logger } from '../shared/index.js';
import type { PhysicalBackend } from '../storage/index.js';
import { createCachedBackend, createInmemBackend, createSqliteBackend } from '../storage/index.js';

export interface StorageStanza {
  type: string;
  options: Record<string, string>;
}

/** Read cache size: entries of ciphertext kept in memory in front of durable storage. */
const READ_CACHE_ENTRIES = 4096;

export async function openPhysical(storage: StorageStanza, logger: Logger): Promise<{ backend: PhysicalBackend; type: string }> {
  switch (storage.type) {
    case 'inmem':
      return { backend: createInmemBackend(), type: 'inmem' };
    case 'sqlite':
    case 'file': {
      const given = storage.options['path'];
      if (given === undefined || given === '') {
        throw new CofferError('invalid_request', `storage "${storage.type}": path is required`);
      }
      // Vault's "file" backend takes a directory; ours keeps one SQLite database inside it.
      const path = storage.type === 'file' ? join(given, 'coffer.db') : given;
      const sqlite = await createSqliteBackend({ path, logger });
      return { backend: createCachedBackend(sqlite, { maxEntries: READ_CACHE_ENTRIES }), type: storage.type };
    }
    default:
      throw new CofferError('invalid_request', `storage type "${storage.type}" is not supported by this server (supported: inmem, sqlite, file)`);
  }
}
