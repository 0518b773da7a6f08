// What every audit device shares: lines go through one ordered batching queue to the device's
// sink, failures are named after the device, and a closed device rejects further writes. Each
// device supplies only its sink (file, socket, syslog), its close and, for files, a reopen.

import type { AuditDevice } from '../sdk/index.js';
import { CofferError } from '../shared/index.js';
import { recordFailure } from './device-options.js';
import type { BatchStats } from './line-batcher.js';
import { createLineBatcher } from './line-batcher.js';

export interface BatchedDeviceSpec {
  /** The device's mount path, for error messages. */
  path: string;
  /** Records one batch of lines; its failure is reported as `<failure>: <reason>`. */
  sink: (lines: readonly string[]) => Promise<void>;
  /** What a failed sink call is called in the rejection (e.g. "write failed"). */
  failure: string;
  /** Releases the transport, after everything queued before close() was flushed. */
  close: () => Promise<void>;
  /** SIGHUP: runs between batches (lines queued before go to the old target); absent = nothing to reopen. */
  reopen?: () => Promise<void>;
  /** Write-queue bound in characters (default 64 MiB); a write beyond it rejects. */
  maxQueuedChars?: number;
}

export interface BatchedDevice extends AuditDevice {
  /** Counters for batching: flushes ≈ write syscalls or sends. */
  stats(): BatchStats;
}

export function createBatchedDevice(spec: BatchedDeviceSpec): BatchedDevice {
  let closed = false;
  const batcher = createLineBatcher({
    sink: async (lines) => {
      try {
        await spec.sink(lines);
      } catch (e) {
        throw recordFailure(spec.path, spec.failure, e);
      }
    },
    ...(spec.maxQueuedChars !== undefined ? { maxQueuedChars: spec.maxQueuedChars } : {}),
  });
  const closedError = (): CofferError => new CofferError('internal', `audit device ${spec.path} is closed`);
  const reopen = spec.reopen;
  return {
    write: (lines) => (closed ? Promise.reject(closedError()) : batcher.write(lines)),
    reload: () => {
      if (closed) return Promise.reject(closedError());
      // A connection has nothing to reopen; its next failing write reconnects by itself.
      return reopen === undefined ? Promise.resolve() : batcher.run(reopen);
    },
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      return batcher.run(() => spec.close());
    },
    stats: () => batcher.stats(),
  };
}
