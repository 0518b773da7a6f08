// engines/kv: the key/value secrets engine. Exposes one factory; options.version picks v1 or v2.

import type { BackendFactory } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import { createKvV1Backend } from './kv-v1.js';
import { createKvV2Backend } from './kv-v2.js';

export const kvFactory: BackendFactory = (config) => {
  const version = config.options['version'] ?? '1';
  if (version === '1' || version === '') return Promise.resolve(createKvV1Backend(config));
  if (version === '2') return createKvV2Backend(config);
  return Promise.reject(new CofferError('invalid_request', `kv version ${JSON.stringify(version)} is not supported; use version "1" or "2"`));
};
