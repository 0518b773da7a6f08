// The AuditDevice contract as a shared suite every device runs (file, socket, syslog): lines are
// recorded in order, concurrent callers' lines are never interleaved or reordered, an empty write
// is a no-op, a device keeps recording across reload(), and writes after close() reject.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditDevice } from '../sdk/index.js';

export interface OpenedDevice {
  device: AuditDevice;
  /** The payload lines recorded so far, in order, once at least `n` are there. */
  recorded: (n: number) => Promise<string[]>;
  cleanup?: () => Promise<void>;
}

export function describeAuditDeviceConformance(name: string, open: () => Promise<OpenedDevice>): void {
  const withDevice =
    (body: (d: OpenedDevice) => Promise<void>) =>
    async (): Promise<void> => {
      const opened = await open();
      try {
        await body(opened);
      } finally {
        await opened.device.close().catch(() => undefined);
        await opened.cleanup?.();
      }
    };

  describe(`${name}: AuditDevice conformance`, () => {
    it(
      'records the lines of one write in order',
      withDevice(async ({ device, recorded }) => {
        await device.write(['{"n":1}', '{"n":2}', '{"n":3}']);
        assert.deepEqual(await recorded(3), ['{"n":1}', '{"n":2}', '{"n":3}']);
      }),
    );

    it(
      "keeps each caller's lines together and callers in call order when many write at once",
      withDevice(async ({ device, recorded }) => {
        const calls = Array.from({ length: 50 }, (_, i) => [`{"call":${i},"part":"a"}`, `{"call":${i},"part":"b"}`]);
        await Promise.all(calls.map((lines) => device.write(lines)));
        assert.deepEqual(await recorded(100), calls.flat());
      }),
    );

    it(
      'treats an empty write as done',
      withDevice(async ({ device, recorded }) => {
        await device.write([]);
        await device.write(['{"after":"empty"}']);
        assert.deepEqual(await recorded(1), ['{"after":"empty"}']);
      }),
    );

    it(
      'keeps recording after reload',
      withDevice(async ({ device, recorded }) => {
        await device.write(['{"before":"reload"}']);
        await device.reload();
        await device.write(['{"after":"reload"}']);
        const lines = await recorded(2);
        assert.deepEqual(lines.slice(-2), ['{"before":"reload"}', '{"after":"reload"}']);
      }),
    );

    it(
      'rejects writes after close',
      withDevice(async ({ device }) => {
        await device.close();
        await assert.rejects(device.write(['{"late":true}']));
      }),
    );
  });
}
