import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planCpus } from './cpu-pinning.js';

void describe('cpu pinning plan', () => {
  void it('gives the servers the lower half of the CPUs and the load generator the rest', () => {
    assert.deepEqual(planCpus(2), { serverCpus: '0', loadCpus: '1' });
    assert.deepEqual(planCpus(3), { serverCpus: '0-1', loadCpus: '2' });
    assert.deepEqual(planCpus(8), { serverCpus: '0-3', loadCpus: '4-7' });
  });

  void it('declines to pin on a single CPU', () => {
    assert.equal(planCpus(1), null);
  });
});
