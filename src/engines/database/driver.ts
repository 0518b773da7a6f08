// The database driver contract: what the engine needs from a database (users with expiring
// passwords, renewal, revocation, password changes) behind one interface per plugin.

import { CofferError } from '../../shared/index.js';

/** How to reach a database, as configured in `config/<name>`. */
export interface DriverOptions {
  /** connection_url with its `{{username}}`/`{{password}}` placeholders. */
  connectionUrl: string;
  username: string;
  password: string;
  maxOpenConnections: number;
  /** 0 = as many as max open; negative = none kept idle. */
  maxIdleConnections: number;
  /** 0 = connections are reused forever. */
  maxConnectionLifetimeSeconds: number;
  /**
   * PostgreSQL: 'scram-sha-256' sends new passwords as SCRAM verifiers computed here, so the
   * plaintext never reaches the server (or its statement logs); default 'password'.
   */
  passwordAuthentication?: 'password' | 'scram-sha-256';
  /** How long one connection attempt may take; default 10 s. */
  connectTimeoutMs?: number;
}

/**
 * One pool to one database. Every method runs its statements on one connection (PostgreSQL: in
 * a transaction) and rejects with a DatabaseError whose message holds no password. Empty
 * statement lists mean the plugin's default statements, where the plugin has them.
 */
export interface DatabaseDriver {
  /** Connects and runs a trivial query. */
  verifyConnection(): Promise<void>;
  /** Creates a user; `statements` must not be empty. `expiration` is ms since the epoch. */
  createUser(u: { username: string; password: string; expiration: number; statements: readonly string[] }): Promise<void>;
  /** Extends a user's validity (PostgreSQL default: VALID UNTIL; MySQL default: nothing). */
  renewUser(u: { username: string; expiration: number; statements: readonly string[] }): Promise<void>;
  /** Removes a user; succeeds when the user is already gone (with the default statements). */
  revokeUser(u: { username: string; statements: readonly string[] }): Promise<void>;
  /** Sets a user's password (static roles, root rotation). */
  setPassword(u: { username: string; password: string; statements: readonly string[] }): Promise<void>;
  /** Closes the pool; later calls fail. */
  close(): Promise<void>;
}

/** A database plugin (`plugin_name`): how to open drivers and its username defaults. */
export interface DatabasePlugin {
  readonly name: string;
  readonly defaultUsernameTemplate: string;
  /** Builds a pool without connecting; throws invalid_request for a malformed connection_url. */
  open(opts: DriverOptions): DatabaseDriver;
}

/** A failure reported by the database (or the way to it); the message is already scrubbed. */
export class DatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseError';
  }
}

/** Turns a driver failure into a client-facing error with context ("error creating user: …"). */
export function databaseFailure(context: string, e: unknown): CofferError {
  if (e instanceof CofferError) return e;
  const msg = e instanceof DatabaseError ? e.message : 'unexpected database driver error';
  return new CofferError('internal', `${context}: ${msg}`);
}
