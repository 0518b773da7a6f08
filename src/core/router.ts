// The router: longest-prefix resolution of a request path to a mounted backend. Lookups walk the
// path's '/' boundaries from longest to shortest, so cost is O(segments), not O(mounts).

import type { LogicalBackend, Storage } from '../sdk/index.js';
import type { MountEntry } from './mount-entry.js';
import { routePath } from './mount-entry.js';

export interface RouteTarget {
  entry: MountEntry;
  backend: LogicalBackend;
  storage: Storage;
}

export interface Router {
  add(target: RouteTarget): void;
  remove(routePath: string): RouteTarget | undefined;
  /** The mount whose route path is the longest prefix of `path`, and the path relative to it. */
  resolve(path: string): { target: RouteTarget; mountPath: string; relative: string } | undefined;
  get(routePath: string): RouteTarget | undefined;
  all(): RouteTarget[];
  clear(): void;
}

export function createRouter(): Router {
  const byPath = new Map<string, RouteTarget>();
  return {
    add(t) {
      byPath.set(routePath(t.entry), t);
    },
    remove(p) {
      const t = byPath.get(p);
      byPath.delete(p);
      return t;
    },
    resolve(path) {
      // A request for the mount itself ("secret") resolves like "secret/".
      const probe = path.endsWith('/') ? path : path + '/';
      let i = probe.length;
      while (i > 0) {
        const candidate = probe.slice(0, i);
        const t = byPath.get(candidate);
        if (t) return { target: t, mountPath: candidate, relative: path.length >= candidate.length ? path.slice(candidate.length) : '' };
        i = probe.lastIndexOf('/', i - 2) + 1;
      }
      return undefined;
    },
    get: (p) => byPath.get(p),
    all: () => [...byPath.values()],
    clear: () => byPath.clear(),
  };
}
