import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCpuSeconds, parseVmRssKiB, readRssKiB } from './proc-stats.js';

void describe('proc stats', () => {
  void it('reads VmRSS in KiB from /proc/<pid>/status text', () => {
    assert.equal(parseVmRssKiB('Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t   48212 kB\nRssAnon:\t 1 kB\n'), 48212);
    assert.equal(parseVmRssKiB('Name:\tkthreadd\n'), null);
  });

  void it('sums utime and stime even when the command name holds spaces and parentheses', () => {
    const fields = Array.from({ length: 40 }, (_, i) => String(i + 3));
    fields[11] = '250'; // utime (field 14)
    fields[12] = '50'; // stime (field 15)
    assert.equal(parseCpuSeconds(`1234 (weird) name) ${fields.join(' ')}`), 3);
    assert.equal(parseCpuSeconds('garbage'), null);
  });

  void it('reads the RSS of a live process and null for one that does not exist', async () => {
    const own = await readRssKiB(process.pid);
    if (process.platform === 'linux') assert.ok(own !== null && own > 0);
    assert.equal(await readRssKiB(2 ** 30), null);
  });
});
