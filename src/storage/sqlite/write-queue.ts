// WriteQueue: group commit. Writes queue up and are committed together in one transaction per
// scheduled flush; an overlay of queued-but-uncommitted writes gives readers read-your-writes.

import { CofferError } from '../../shared/index.js';
import type { Ciphertext, TxnOp } from '../types.js';

/** The newest queued state of one key: a value to be stored, or a deletion. */
export type PendingState = { op: 'put'; value: Ciphertext } | { op: 'delete' };

interface Unit {
  seq: number;
  ops: readonly TxnOp[];
  bytes: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface WriteQueueOptions {
  /** Applies `ops` in order in ONE durable transaction; throws if it did not commit. */
  commit(ops: readonly TxnOp[]): void;
  /** Called with the underlying error when a batch fails (its callers get a generic error). */
  onCommitError(e: unknown, ops: number): void;
  /** Defers a flush; default setImmediate, so every write issued in one event-loop turn shares it. */
  schedule?: (fn: () => void) => void;
  /** Upper bounds for one batch (a single enqueue is never split), keeping each flush short. */
  maxBatchOps?: number;
  maxBatchBytes?: number;
}

export interface WriteQueue {
  /** Queues `ops` as one all-or-nothing unit; resolves once the batch holding it has committed. */
  enqueue(ops: readonly TxnOp[]): Promise<void>;
  /** The newest queued state of `key`, or undefined when nothing is queued for it. */
  pending(key: string): PendingState | undefined;
  /** Every key with queued state, and that state (for merging into lists). */
  pendingEntries(): IterableIterator<[string, PendingState]>;
  /** Commits everything queued, synchronously (used by close). */
  drain(): void;
  stats(): { commits: number; writes: number };
}

export function createWriteQueue(opts: WriteQueueOptions): WriteQueue {
  const schedule = opts.schedule ?? ((fn: () => void) => void setImmediate(fn));
  const maxOps = opts.maxBatchOps ?? 4096;
  const maxBytes = opts.maxBatchBytes ?? 16 * 1024 * 1024;
  const queue: Unit[] = [];
  // Per key: the newest queued state and the unit that wrote it, so committing units up to some
  // seq knows which overlay entries it has made redundant.
  const overlay = new Map<string, { state: PendingState; seq: number }>();
  let nextSeq = 1;
  let scheduled = false;
  let commits = 0;
  let writes = 0;

  const takeBatch = (): Unit[] => {
    let ops = 0;
    let bytes = 0;
    let n = 0;
    while (n < queue.length) {
      const u = queue[n]!;
      if (n > 0 && (ops + u.ops.length > maxOps || bytes + u.bytes > maxBytes)) break;
      ops += u.ops.length;
      bytes += u.bytes;
      n++;
    }
    return queue.splice(0, n);
  };

  const flushOne = (): void => {
    const batch = takeBatch();
    if (batch.length === 0) return;
    const ops = batch.flatMap((u) => u.ops);
    let failure: unknown;
    let ok = false;
    try {
      opts.commit(ops);
      ok = true;
      commits++;
      writes += ops.length;
    } catch (e) {
      failure = e;
    }
    // Committed (or abandoned): the overlay no longer needs entries these units wrote last.
    const lastSeq = batch[batch.length - 1]!.seq;
    for (const op of ops) {
      const o = overlay.get(op.key);
      if (o && o.seq <= lastSeq) overlay.delete(op.key);
    }
    if (ok) {
      for (const u of batch) u.resolve();
    } else {
      opts.onCommitError(failure, ops.length);
      const err = new CofferError('internal', 'storage write failed');
      for (const u of batch) u.reject(err);
    }
  };

  const run = (): void => {
    scheduled = false;
    flushOne();
    if (queue.length > 0) {
      scheduled = true;
      schedule(run);
    }
  };

  return {
    enqueue(ops) {
      if (ops.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const seq = nextSeq++;
        let bytes = 0;
        for (const op of ops) {
          bytes += op.key.length + (op.op === 'put' ? op.value.byteLength : 0);
          overlay.set(op.key, { state: op.op === 'put' ? { op: 'put', value: op.value } : { op: 'delete' }, seq });
        }
        queue.push({ seq, ops, bytes, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          schedule(run);
        }
      });
    },
    pending: (key) => overlay.get(key)?.state,
    *pendingEntries() {
      for (const [k, o] of overlay) yield [k, o.state];
    },
    drain() {
      while (queue.length > 0) flushOne();
    },
    stats: () => ({ commits, writes }),
  };
}
