// A physical backend wrapper that times every storage operation for telemetry, keeping the
// transaction capability when the wrapped backend has it.

import type { PhysicalBackend, Transactional, TxnOp } from '../../storage/index.js';
import { hasTransactions } from '../../storage/index.js';

export function instrumentPhysical(b: PhysicalBackend, observe: (operation: string, seconds: number) => void): PhysicalBackend {
  const timed =
    <A extends unknown[], R>(op: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        observe(op, (performance.now() - started) / 1000);
      }
    };
  const out: PhysicalBackend = {
    get: timed('get', (k: string) => b.get(k)),
    put: timed('put', (k: string, v: Parameters<PhysicalBackend['put']>[1]) => b.put(k, v)),
    delete: timed('delete', (k: string) => b.delete(k)),
    list: timed('list', (p: string) => b.list(p)),
    close: () => b.close(),
  };
  if (hasTransactions(b)) {
    const txn: Transactional = { transaction: timed('transaction', (ops: readonly TxnOp[]) => b.transaction(ops)) };
    return Object.assign(out, txn);
  }
  return out;
}
