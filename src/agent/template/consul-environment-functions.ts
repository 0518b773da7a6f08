// consul-template's functions that read the world outside the template — env, mustEnv,
// envOrDefault, file, timestamp — through injected hooks so rendering stays deterministic.
import { formatGoTime, RFC3339 } from './go-time-format.js';
import { T } from './go-types.js';
import type { GoValue } from './go-values.js';
import { GoFunc } from './go-values.js';
import { FuncError } from './template-error.js';

export interface EnvironmentHooks {
  /** Runner-provided environment first, then the process environment; undefined when unset. */
  readonly lookupEnv: (name: string) => string | undefined;
  readonly readFile: (path: string) => Promise<string>;
  readonly now: () => Date;
  /** Called for every file the template reads, so callers can watch it. */
  readonly onFile: (path: string) => void;
}

const str = (v: GoValue): string => (typeof v === 'string' ? v : '');
const S = T.string;

export function environmentFunctions(hooks: EnvironmentHooks): Map<string, GoFunc> {
  return new Map<string, GoFunc>([
    ['env', new GoFunc([S], undefined, S, (a) => hooks.lookupEnv(str(a[0])) ?? '')],
    [
      'mustEnv',
      new GoFunc([S], undefined, S, (a) => {
        const v = hooks.lookupEnv(str(a[0])) ?? '';
        if (v === '') throw new FuncError(`required environment variable ${str(a[0])} is empty`);
        return v;
      }),
    ],
    ['envOrDefault', new GoFunc([S, S], undefined, S, (a) => hooks.lookupEnv(str(a[0])) ?? str(a[1]))],
    [
      'file',
      new GoFunc([S], undefined, S, async (a) => {
        const path = str(a[0]);
        if (path === '') return '';
        hooks.onFile(path);
        return hooks.readFile(path);
      }),
    ],
    [
      'timestamp',
      new GoFunc([], S, S, (a) => {
        if (a.length > 1) throw new FuncError(`timestamp: wrong number of arguments, expected 0 or 1, but got ${a.length}`);
        const now = hooks.now();
        if (a.length === 0) return formatGoTime(now, RFC3339);
        const layout = str(a[0]);
        if (layout === 'unix') return String(Math.floor(now.getTime() / 1000));
        return formatGoTime(now, layout);
      }),
    ],
  ]);
}
