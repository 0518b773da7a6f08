// LeaseCounter: the number of stored lease records, kept in memory and persisted under one key
// with coalesced writes (many concurrent changes share one put), so count() is O(1) and the
// counter key never serialises registrations. A crash can lose the last unflushed changes;
// tidy() recounts and repairs it.

import { getJson, putJson } from '../../sdk/index.js';
import type { Storage } from '../../sdk/index.js';
import type { Logger } from '../../shared/index.js';
import { COUNT_KEY } from './storage-layout.js';

export interface LeaseCounter {
  /** (Re)reads the persisted value (0 when absent or malformed). */
  load(): Promise<number>;
  /** Loads once if nothing was loaded yet; call before the first change. */
  ready(): Promise<void>;
  readonly value: number;
  add(delta: number): void;
  set(value: number): void;
  /** Resolves once every change made so far has been written (or failed and been logged). */
  flushed(): Promise<void>;
}

export function createLeaseCounter(storage: Storage, logger: Logger): LeaseCounter {
  let value = 0;
  let dirty = false;
  let writing: Promise<void> | undefined;
  let loading: Promise<number> | undefined;

  const flush = (): void => {
    dirty = true;
    if (writing) return;
    writing = (async () => {
      while (dirty) {
        dirty = false;
        try {
          await putJson(storage, COUNT_KEY, value);
        } catch (e) {
          logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'could not persist the lease count');
          return;
        }
      }
    })().finally(() => {
      writing = undefined;
    });
  };

  const load = async (): Promise<number> => {
    const v = await getJson(storage, COUNT_KEY);
    value = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0;
    return value;
  };

  return {
    async load() {
      loading = load();
      return loading;
    },
    async ready() {
      loading ??= load();
      await loading;
    },
    get value() {
      return value;
    },
    add(delta) {
      value = Math.max(0, value + delta);
      flush();
    },
    set(v) {
      value = v;
      flush();
    },
    async flushed() {
      while (writing) await writing;
    },
  };
}
