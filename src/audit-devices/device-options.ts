// Reading a device's `options` map (strings, as Vault stores them) and naming its failures. A bad
// option is a CofferError('invalid_request'), which the enable call answers with a 400.

import { CofferError, invalidRequest, parseGoDurationNs } from '../shared/index.js';

/** The trimmed value of the first of `names` that is set and non-empty, else undefined. */
export function optionValue(options: Readonly<Record<string, string>>, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = options[n];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/**
 * Parses a timeout option into milliseconds: a Go duration ("2s", "500ms") or a whole number of
 * seconds. Throws invalid_request when malformed or not positive.
 */
export function parseTimeoutMs(value: string, field: string): number {
  const ns = /^\d+$/.test(value) ? Number(value) * 1e9 : parseGoDurationNs(value);
  if (ns === undefined || !(ns > 0)) throw invalidRequest(`invalid ${field} "${value}": expected a positive duration such as "2s" or "500ms"`);
  return Math.max(1, Math.round(ns / 1e6));
}

export interface HostPort {
  host: string;
  port: number;
}

/** Splits "host:port" or "[v6]:port"; throws invalid_request naming `field` when it is not one. */
export function parseHostPort(value: string, field: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw invalidRequest(`invalid ${field} "${value}": expected host:port`);
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '127.0.0.1' : host, port };
}

/** The rejection a device gives when it could not record lines (no line content in the message). */
export function recordFailure(devicePath: string, what: string, cause: unknown): CofferError {
  if (cause instanceof CofferError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CofferError('internal', `audit device ${devicePath}: ${what}: ${reason}`);
}
