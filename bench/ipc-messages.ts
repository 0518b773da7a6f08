// Messages between the harness and its child scripts (bare server, load worker), with parsers:
// whatever arrives over IPC is `unknown` until one of these functions accepts it.
import type { SerializedHistogram } from './histogram.js';

export interface ServeMessage {
  readonly type: 'serve';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBase64: string;
}

export interface ListeningMessage {
  readonly type: 'listening';
  readonly port: number;
}

export interface LoadRunMessage {
  readonly type: 'run';
  readonly id: number;
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly connections: number;
  readonly durationSeconds: number;
}

/** What one load round measured, as the load worker reports it. */
export interface LoadRoundRaw {
  /** Completed responses (any status). */
  readonly requests: number;
  readonly durationSeconds: number;
  readonly non2xx: number;
  /** Connection errors and timeouts (timeouts are also counted in `timeouts`). */
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly latency: SerializedHistogram;
}

export type LoadReplyMessage =
  | { readonly type: 'result'; readonly id: number; readonly result: LoadRoundRaw }
  | { readonly type: 'error'; readonly id: number; readonly message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function parseStringRecord(value: unknown): Record<string, string> | null {
  if (!isRecord(value)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') return null;
    out[k] = v;
  }
  return out;
}

function parseNumberRecord(value: unknown): Record<string, number> | null {
  if (!isRecord(value)) return null;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!isFiniteNumber(v)) return null;
    out[k] = v;
  }
  return out;
}

function parseHistogram(value: unknown): SerializedHistogram | null {
  if (!Array.isArray(value)) return null;
  const out: [number, number][] = [];
  for (const pair of value as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) return null;
    const [index, count] = pair as unknown[];
    if (!isFiniteNumber(index) || !isFiniteNumber(count)) return null;
    out.push([index, count]);
  }
  return out;
}

export function parseServeMessage(value: unknown): ServeMessage | null {
  if (!isRecord(value) || value['type'] !== 'serve') return null;
  const headers = parseStringRecord(value['headers']);
  const status = value['status'];
  const bodyBase64 = value['bodyBase64'];
  if (!isFiniteNumber(status) || headers === null || typeof bodyBase64 !== 'string') return null;
  return { type: 'serve', status, headers, bodyBase64 };
}

export function parseListeningMessage(value: unknown): ListeningMessage | null {
  if (!isRecord(value) || value['type'] !== 'listening') return null;
  const port = value['port'];
  return isFiniteNumber(port) ? { type: 'listening', port } : null;
}

export function parseLoadRunMessage(value: unknown): LoadRunMessage | null {
  if (!isRecord(value) || value['type'] !== 'run') return null;
  const { id, url, method, body, connections, durationSeconds } = value;
  const headers = parseStringRecord(value['headers']);
  if (
    !isFiniteNumber(id) ||
    typeof url !== 'string' ||
    typeof method !== 'string' ||
    headers === null ||
    !(body === null || typeof body === 'string') ||
    !isFiniteNumber(connections) ||
    !isFiniteNumber(durationSeconds)
  ) {
    return null;
  }
  return { type: 'run', id, url, method, headers, body, connections, durationSeconds };
}

export function parseLoadRoundRaw(value: unknown): LoadRoundRaw | null {
  if (!isRecord(value)) return null;
  const { requests, durationSeconds, non2xx, errors, timeouts } = value;
  const statusCounts = parseNumberRecord(value['statusCounts']);
  const latency = parseHistogram(value['latency']);
  if (
    !isFiniteNumber(requests) ||
    !isFiniteNumber(durationSeconds) ||
    !isFiniteNumber(non2xx) ||
    !isFiniteNumber(errors) ||
    !isFiniteNumber(timeouts) ||
    statusCounts === null ||
    latency === null
  ) {
    return null;
  }
  return { requests, durationSeconds, non2xx, errors, timeouts, statusCounts, latency };
}

export function parseLoadReply(value: unknown): LoadReplyMessage | null {
  if (!isRecord(value) || !isFiniteNumber(value['id'])) return null;
  const id = value['id'];
  if (value['type'] === 'error') {
    const message = value['message'];
    return typeof message === 'string' ? { type: 'error', id, message } : null;
  }
  if (value['type'] === 'result') {
    const result = parseLoadRoundRaw(value['result']);
    return result === null ? null : { type: 'result', id, result };
  }
  return null;
}
