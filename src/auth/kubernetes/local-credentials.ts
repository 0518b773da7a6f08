// The pod's own service account files, used as the reviewer JWT and the API server CA when the
// config leaves them unset. Read at every login because kubelet rotates the projected token.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where kubelet mounts a pod's service account token and cluster CA. */
export const DEFAULT_LOCAL_SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface LocalCredentials {
  /** The pod's token, trimmed; undefined when absent or empty. */
  token(): Promise<string | undefined>;
  /** The cluster CA bundle; undefined when absent or empty. */
  caCert(): Promise<string | undefined>;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch {
    // Not running in a pod (or the mount is unreadable): there is no local default.
    return undefined;
  }
}

/** Reads `token` and `ca.crt` from `dir` on each call. */
export function createLocalCredentials(dir: string = DEFAULT_LOCAL_SA_DIR): LocalCredentials {
  return {
    token: () => readOptional(join(dir, 'token')),
    caCert: () => readOptional(join(dir, 'ca.crt')),
  };
}
