// Tests of the refresh schedule for template dependencies (b.5 of the reference).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planRefresh } from './refresh-plan.js';

const s = { staticIntervalMs: 300_000, threshold: 0.9 };
const mid = (): number => 0.5;

describe('planRefresh', () => {
  it('re-reads a non-leased secret (KV v2) every static_secret_render_interval', () => {
    assert.deepEqual(planRefresh({ kind: 'read', leaseId: '', leaseDurationSeconds: 0, renewable: false }, s, mid), { action: 'refetch', delayMs: 300_000, reason: 'static secret' });
  });

  it('renews a renewable lease at 2/3 of its duration (jitter ±5 %)', () => {
    const f = { kind: 'read' as const, leaseId: 'database/creds/x/1', leaseDurationSeconds: 60, renewable: true };
    assert.deepEqual(planRefresh(f, s, mid), { action: 'renew', delayMs: 40_000, incrementSeconds: 60 });
    const lo = planRefresh(f, s, () => 0).delayMs;
    const hi = planRefresh(f, s, () => 0.999).delayMs;
    assert.ok(lo >= 38_000 && hi <= 42_000 && lo < hi);
  });

  it('keeps renewing while a renewal gives back the full increment', () => {
    assert.deepEqual(planRefresh({ kind: 'read', leaseId: 'l', leaseDurationSeconds: 60, renewable: true, requestedIncrementSeconds: 60 }, s, mid), { action: 'renew', delayMs: 40_000, incrementSeconds: 60 });
  });

  it('re-fetches at 85–90 % of what is left once the lease can no longer be extended', () => {
    const p = planRefresh({ kind: 'read', leaseId: 'l', leaseDurationSeconds: 20, renewable: true, requestedIncrementSeconds: 60 }, s, mid);
    assert.deepEqual(p, { action: 'refetch', delayMs: 17_500, reason: 'lease cannot be extended' });
    assert.equal(planRefresh({ kind: 'read', leaseId: 'l', leaseDurationSeconds: 20, renewable: true, requestedIncrementSeconds: 60 }, s, () => 0).delayMs, 18_000);
    assert.equal(planRefresh({ kind: 'read', leaseId: 'l', leaseDurationSeconds: 20, renewable: true, requestedIncrementSeconds: 60 }, s, () => 0.99999).delayMs, 17_000);
  });

  it('re-fetches a non-renewable leased secret at 85–90 % of lease_duration, honouring lease_renewal_threshold', () => {
    assert.deepEqual(planRefresh({ kind: 'read', leaseId: 'kv/x', leaseDurationSeconds: 100, renewable: false }, s, mid), { action: 'refetch', delayMs: 87_500, reason: 'non-renewable lease' });
    assert.equal(planRefresh({ kind: 'read', leaseId: 'kv/x', leaseDurationSeconds: 100, renewable: false }, { ...s, threshold: 0.85 }, () => 0).delayMs, 85_000);
  });

  it('re-fetches short leases at least 2 s before they end', () => {
    assert.equal(planRefresh({ kind: 'read', leaseId: 'l', leaseDurationSeconds: 7, renewable: true, requestedIncrementSeconds: 10 }, s, mid).delayMs, 5_000);
    assert.equal(planRefresh({ kind: 'read', leaseId: 'l', leaseDurationSeconds: 1, renewable: false }, s, mid).delayMs, 0);
  });

  it('re-reads static database roles at ttl + 1 s and lists every interval', () => {
    assert.equal(planRefresh({ kind: 'read', leaseId: '', leaseDurationSeconds: 0, renewable: false, rotationTtlSeconds: 30 }, s, mid).delayMs, 31_000);
    assert.deepEqual(planRefresh({ kind: 'list', leaseId: '', leaseDurationSeconds: 0, renewable: false }, s, mid), { action: 'refetch', delayMs: 300_000, reason: 'list' });
  });
});
