// Small helpers shared by this engine's HTTP tests: reading envelopes and waiting for a
// condition with a bounded number of polls (never a fixed sleep).

import assert from 'node:assert/strict';

export interface Envelope {
  lease_id: string;
  lease_duration: number;
  renewable: boolean;
  data: Record<string, unknown>;
  auth?: { client_token: string };
  errors?: string[];
  warnings?: string[];
}

export function envelope(json: unknown): Envelope {
  assert.ok(typeof json === 'object' && json !== null, 'expected a JSON body');
  return json as Envelope;
}

/** Polls `check` until it returns true (every 100 ms, at most `timeoutMs`). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting until ${what}`);
}
