// Opens (or creates) the SQLite file behind the sqlite backend: durability pragmas, schema, and a
// clear error when the file is not a usable Coffer database.

import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CofferError } from '../../shared/index.js';

/** The on-disk format version recorded in `PRAGMA user_version`. */
const SCHEMA_VERSION = 1;

/**
 * Opens `path` in WAL mode with synchronous=FULL (every commit is fsynced before it is
 * acknowledged) and ensures the `coffer_kv` table. Missing parent folders are created (0700), a new
 * file is created 0600. Throws CofferError('internal') naming the path if the file cannot be used.
 */
export function openDatabase(path: string): Database.Database {
  const inMemory = path === ':memory:';
  let db: Database.Database | undefined;
  try {
    if (!inMemory) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // Create the file ourselves so it is private; SQLite gives -wal/-shm the same mode.
      closeSync(openSync(path, 'a', 0o600));
    }
    db = new Database(path);
    // The first statement is where SQLite notices a file that is not a database.
    const mode: unknown = db.pragma('journal_mode = WAL', { simple: true });
    if (!inMemory && mode !== 'wal') throw new Error(`could not enable WAL journal (got ${String(mode)})`);
    db.pragma('synchronous = FULL');
    // No-ops on Linux; on macOS, make fsync reach the platter rather than the drive cache.
    db.pragma('fullfsync = ON');
    db.pragma('checkpoint_fullfsync = ON');
    db.pragma('busy_timeout = 5000');
    // Keys are hashes, so writes land on pages all over the tree: keep the hot part of it in
    // memory (64 MiB) and let the WAL grow to ~32 MiB between checkpoints, so a page written by
    // many commits is copied back to the database file once rather than every second commit.
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 8192');
    const version: unknown = db.pragma('user_version', { simple: true });
    if (typeof version !== 'number' || version > SCHEMA_VERSION) {
      throw new Error(`storage format version ${String(version)} is newer than this server supports (${SCHEMA_VERSION})`);
    }
    db.exec(
      'CREATE TABLE IF NOT EXISTS coffer_kv (key TEXT NOT NULL PRIMARY KEY COLLATE BINARY, value BLOB NOT NULL) WITHOUT ROWID',
    );
    if (version === 0) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return db;
  } catch (e) {
    db?.close();
    const reason = e instanceof Error ? e.message : String(e);
    throw new CofferError('internal', `cannot open SQLite storage at ${path}: ${reason}`);
  }
}
