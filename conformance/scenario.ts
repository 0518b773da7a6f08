// A client's run through the endpoints: each step asserts one endpoint's response and records its
// cell; a failed step is recorded and the run continues, so one server bug does not hide the rest.

import { assertEndpointLabel } from './fixtures.js';
import type { MatrixRecorder } from './matrix.js';

export interface Scenario {
  /** Runs `fn` (which calls the client and asserts); records pass, or fail with the message. */
  step<T>(endpoint: string, fn: () => Promise<T> | T): Promise<T | undefined>;
  /**
   * The client has a call for an endpoint Coffer does not implement: runs it (when given),
   * expects it to be refused, and records `not implemented` with the note.
   */
  missing(endpoint: string, note: string, fn?: () => Promise<unknown>): Promise<void>;
  /** "endpoint: message" for every failed step so far. */
  failures(): string[];
}

export function scenario(rec: MatrixRecorder): Scenario {
  const failed: string[] = [];
  return {
    async step(endpoint, fn) {
      assertEndpointLabel(endpoint);
      try {
        const out = await fn();
        rec.record(endpoint, 'pass');
        return out;
      } catch (e) {
        const msg = oneLine(e instanceof Error ? e.message : String(e));
        failed.push(`${endpoint}: ${msg}`);
        rec.record(endpoint, 'fail', msg);
        return undefined;
      }
    },
    async missing(endpoint, note, fn) {
      assertEndpointLabel(endpoint);
      if (fn) {
        let accepted = false;
        try {
          await fn();
          accepted = true;
        } catch {
          // Refused, as an unimplemented path should be.
        }
        if (accepted) {
          failed.push(`${endpoint}: Coffer accepted a call to an endpoint it does not implement`);
          rec.record(endpoint, 'fail', 'accepted although not implemented');
          return;
        }
      }
      rec.record(endpoint, 'not implemented', note);
    },
    failures: () => [...failed],
  };
}

/** An error message as one short line, for a matrix cell (assertion diffs span many lines). */
export function oneLine(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/** Reads a nested value of a client's untyped response: at(r, 'data', 'keys', 0). */
export function at(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** at(), requiring a string. */
export function str(v: unknown, ...path: (string | number)[]): string {
  const s = at(v, ...path);
  if (typeof s !== 'string') throw new Error(`expected a string at ${path.join('.')}, got ${JSON.stringify(s)}`);
  return s;
}

/** The HTTP status a client's error carries (node-vault: response.statusCode; axios: response.status). */
export function errorStatus(e: unknown): number | undefined {
  const s = at(e, 'response', 'statusCode') ?? at(e, 'response', 'status');
  return typeof s === 'number' ? s : undefined;
}
