// What every part of the engine shares: the mount's config, plugins, pools, locks and timers.

import type { BackendConfig } from '../../sdk/index.js';
import type { Clock, KeyedMutex } from '../../shared/index.js';
import type { ConnectionManager } from './connections.js';
import type { DatabasePlugin } from './driver.js';
import type { EngineTimers } from './timers.js';

export interface EngineContext {
  backend: BackendConfig;
  clock: Clock;
  plugins: ReadonlyMap<string, DatabasePlugin>;
  connections: ConnectionManager;
  /** Keys: `config:<name>`, `static:<name>`. */
  locks: KeyedMutex;
  timers: EngineTimers;
}
