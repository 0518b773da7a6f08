// An ordered write queue shared by every audit device: lines from calls made while a flush is
// pending or in flight go out together in the next flush (one syscall for many requests), each
// caller is answered when the flush holding ITS lines finished, and nothing is ever reordered.

import { CofferError } from '../shared/index.js';

export interface BatchStats {
  /** write() calls accepted. */
  calls: number;
  lines: number;
  /** Times the sink was called (one write/writev or send per flush). */
  flushes: number;
  /** Calls rejected because the queue was full. */
  rejectedFull: number;
}

export interface LineBatcherOptions {
  /** Records one batch; must not be called again before it settles (the batcher guarantees it). */
  sink: (lines: readonly string[]) => Promise<void>;
  /** Queued-but-unwritten characters above which write() rejects instead of growing (default 64 MiB). */
  maxQueuedChars?: number;
  /** A batch stops accepting lines past this size so one flush stays bounded (default 4 MiB). */
  maxBatchChars?: number;
  /** How the first flush after idleness is deferred, so a whole event-loop turn batches (default setImmediate). */
  schedule?: (run: () => void) => void;
}

export interface LineBatcher {
  /** Queues `lines` after everything queued before; resolves once the sink recorded them. */
  write(lines: readonly string[]): Promise<void>;
  /** Runs `op` once everything queued before it is flushed, and before anything queued after it. */
  run<T>(op: () => Promise<T>): Promise<T>;
  stats(): BatchStats;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

type Item =
  | { kind: 'batch'; lines: string[]; chars: number; waiters: Waiter[] }
  | { kind: 'op'; op: () => Promise<void> };

export function createLineBatcher(opts: LineBatcherOptions): LineBatcher {
  const maxQueued = opts.maxQueuedChars ?? 64 * 1024 * 1024;
  const maxBatch = opts.maxBatchChars ?? 4 * 1024 * 1024;
  const schedule = opts.schedule ?? ((run: () => void) => void setImmediate(run));
  const queue: Item[] = [];
  let queuedChars = 0;
  let active = false; // a drain is scheduled or running
  const stats: BatchStats = { calls: 0, lines: 0, flushes: 0, rejectedFull: 0 };

  const kick = (): void => {
    if (active) return;
    active = true;
    schedule(() => void drain());
  };

  const drain = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      if (item.kind === 'op') {
        await item.op();
        continue;
      }
      queuedChars -= item.chars;
      stats.flushes++;
      try {
        await opts.sink(item.lines);
        for (const w of item.waiters) w.resolve();
      } catch (e) {
        for (const w of item.waiters) w.reject(e);
      }
    }
    active = false;
  };

  const run = <T>(op: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ kind: 'op', op: () => Promise.resolve().then(op).then(resolve, reject) });
      kick();
    });

  return {
    write(lines) {
      if (lines.length === 0) return run(async () => undefined);
      let chars = 0;
      for (const l of lines) chars += l.length + 1;
      if (queuedChars + chars > maxQueued) {
        stats.rejectedFull++;
        return Promise.reject(new CofferError('unavailable', 'audit device is not keeping up: its write queue is full'));
      }
      stats.calls++;
      stats.lines += lines.length;
      queuedChars += chars;
      return new Promise<void>((resolve, reject) => {
        const tail = queue[queue.length - 1];
        if (tail !== undefined && tail.kind === 'batch' && tail.chars + chars <= maxBatch) {
          tail.lines.push(...lines);
          tail.chars += chars;
          tail.waiters.push({ resolve, reject });
        } else {
          queue.push({ kind: 'batch', lines: [...lines], chars, waiters: [{ resolve, reject }] });
        }
        kick();
      });
    },
    run,
    stats: () => ({ ...stats }),
  };
}
