// Durations as Vault reads them (Go parseutil.ParseDurationSecond) and writes them (seconds; Go's
// Duration.String() for the few fields that echo a duration string).

import { invalidRequest } from './errors.js';

const unitNs: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Parses a Go time.ParseDuration string into nanoseconds; undefined when malformed. */
export function parseGoDurationNs(input: string): number | undefined {
  let s = input;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  const re = /^(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/;
  let total = 0;
  while (s.length > 0) {
    const m = re.exec(s);
    if (!m) return undefined;
    const num = m[1] ?? '';
    if (num === '' || num === '.') return undefined;
    total += Number(num) * (unitNs[m[2] ?? ''] ?? NaN);
    s = s.slice(m[0].length);
  }
  return Number.isFinite(total) ? sign * total : undefined;
}

/**
 * Parses a duration field into whole seconds. Accepts numbers (seconds), digit strings (seconds),
 * Go durations ("1h30m", "1.5h"), and "<int>d". Empty/null/undefined → 0.
 * Throws invalid_request for anything else (including booleans).
 */
export function parseDurationSeconds(value: unknown, field = 'duration'): number {
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidRequest(`invalid ${field}: not a finite number`);
    return Math.trunc(value);
  }
  if (typeof value !== 'string') throw invalidRequest(`invalid ${field}: expected a duration string or number`);
  const s = value.trim();
  if (/^-?\d+$/.test(s)) return Number(s);
  const days = /^(-?\d+)d$/.exec(s);
  if (days) return Number(days[1]) * 86400;
  const ns = parseGoDurationNs(s);
  if (ns === undefined) throw invalidRequest(`invalid ${field}: time: invalid duration "${s}"`);
  return Math.trunc(ns / 1e9);
}

/** Formats seconds the way Go's time.Duration.String() does: "0s", "1h0m0s", "3h25m19s". */
export function formatGoDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return '0s';
  const neg = totalSeconds < 0;
  let s = Math.abs(Math.trunc(totalSeconds));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  let out = '';
  if (h > 0) out = `${h}h${m}m${s}s`;
  else if (m > 0) out = `${m}m${s}s`;
  else out = `${s}s`;
  return neg ? '-' + out : out;
}

/** Parses a Go ParseBool value ("1", "t", "T", "TRUE", "true", "True", and the false forms). */
export function parseGoBool(value: string): boolean | undefined {
  switch (value) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      return undefined;
  }
}
