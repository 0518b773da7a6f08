// What a benchmark scenario is: a setup through the HTTP API, then one request measured under load.
import { randomBytes } from 'node:crypto';
import type { BenchClient, BenchRequest } from './http-client.js';

export type { BenchClient, BenchRequest } from './http-client.js';

export interface ScenarioContext {
  /** The dev server's root token. */
  readonly token: string;
  /** Whatever the scenario's setup returned (ids, secrets), for building the request. */
  readonly vars: Readonly<Record<string, string>>;
}

export interface Scenario {
  /** Kebab-case, unique; used by --scenario and in result file names. */
  readonly name: string;
  readonly description: string;
  /** Extra `coffer server` arguments for this scenario (e.g. `-dev-storage=sqlite`). */
  readonly serverArgs?: string;
  /** Prepares a fresh dev server; throws (e.g. via client.call) if anything is not as expected. */
  setup(client: BenchClient): Promise<Readonly<Record<string, string>> | undefined>;
  /** The request sent under load; it must answer 2xx once setup has run. */
  request(context: ScenarioContext): BenchRequest;
  /** Releases what setup started outside the target (e.g. a database), after the target stopped. */
  teardown?(): Promise<void>;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random alphanumeric string of `length` characters, for secret values of a known size. */
export function randomValue(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}
