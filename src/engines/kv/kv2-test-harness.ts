// A harness for driving a KV v2 backend directly in tests: in-memory storage, a manual clock,
// and a `call` that mimics the core (existence check turns update into create).

import type { BackendRequest, BackendResponse, LogicalBackend, Operation } from '../../sdk/index.js';
import type { ManualClock } from '../../shared/index.js';
import { createManualClock, silentLogger } from '../../shared/index.js';
import { createKvV2Backend } from './kv-v2.js';
import type { MemoryStorage } from '../../sdk/index.js';
import { createMemoryStorage, staticSystemView } from '../../sdk/index.js';

export interface Kv2Harness {
  backend: LogicalBackend;
  storage: MemoryStorage;
  clock: ManualClock;
  call(op: Operation, path: string, data?: Record<string, unknown>): Promise<BackendResponse>;
  /** `call` that expects a data response and returns its data. */
  data(op: Operation, path: string, data?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export const START = Date.UTC(2026, 0, 1, 12, 0, 0);

export async function kv2Harness(storage: MemoryStorage = createMemoryStorage(), clock: ManualClock = createManualClock(START)): Promise<Kv2Harness> {
  const backend = await createKvV2Backend({
    storage,
    mountPath: 'kv2/',
    options: { version: '2' },
    logger: silentLogger,
    clock,
    system: staticSystemView(),
  });
  const call = async (op: Operation, path: string, data?: Record<string, unknown>): Promise<BackendResponse> => {
    const req: BackendRequest = { operation: op, path, data, storage, mountPath: 'kv2/', caller: undefined, remoteAddress: '127.0.0.1', requestId: 'test' };
    if (op === 'update' && (await backend.existenceCheck(req)) === false) req.operation = 'create';
    return backend.handleRequest(req);
  };
  return {
    backend,
    storage,
    clock,
    call,
    async data(op, path, data) {
      const res = await call(op, path, data);
      if (res.kind !== 'data' || res.data === null) throw new Error(`expected data from ${op} ${path}, got ${JSON.stringify(res)}`);
      return res.data;
    },
  };
}
