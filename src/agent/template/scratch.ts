// consul-template's per-render scratchpad (`scratch.Set "k" v`, `scratch.Get "k"`, MapSet …):
// a *Scratch struct whose methods templates call through a chain on the `scratch` function.
import { T } from './go-types.js';
import type { GoValue } from './go-values.js';
import { compareGoStrings, GoFunc, GoMap, GoSlice, GoStruct } from './go-values.js';
import { FuncError } from './template-error.js';

const str = (v: GoValue): string => (typeof v === 'string' ? v : '');
const nilToNull = (v: GoValue): GoValue => (v === undefined ? null : v);

/** Creates the scratch function; its state lives as long as the returned function. */
export function scratchFunction(): GoFunc {
  const values = new Map<string, GoValue>();
  const maps = new Map<string, Map<string, GoValue>>();
  const S = T.string;
  const I = T.iface;

  const mapSet = (key: string, mk: string, v: GoValue, onlyIfMissing: boolean): string => {
    if (values.has(key) && !maps.has(key)) throw new FuncError(`scratch: ${key} is not a map`);
    let m = maps.get(key);
    if (m === undefined) {
      m = new Map();
      maps.set(key, m);
      values.set(key, null);
    }
    if (!onlyIfMissing || !m.has(mk)) m.set(mk, nilToNull(v));
    return '';
  };

  const get = (key: string): GoValue => {
    const m = maps.get(key);
    if (m !== undefined) return new GoMap(new Map(m));
    return values.has(key) ? values.get(key) : null;
  };

  const methods = new Map<string, GoFunc>([
    ['Key', new GoFunc([S], undefined, T.bool, (a) => values.has(str(a[0])))],
    ['Get', new GoFunc([S], undefined, I, (a) => get(str(a[0])))],
    [
      'Set',
      new GoFunc([S, I], undefined, S, (a) => {
        maps.delete(str(a[0]));
        values.set(str(a[0]), nilToNull(a[1]));
        return '';
      }),
    ],
    [
      'SetX',
      new GoFunc([S, I], undefined, S, (a) => {
        if (!values.has(str(a[0]))) values.set(str(a[0]), nilToNull(a[1]));
        return '';
      }),
    ],
    ['MapSet', new GoFunc([S, S, I], undefined, S, (a) => mapSet(str(a[0]), str(a[1]), a[2], false))],
    ['MapSetX', new GoFunc([S, S, I], undefined, S, (a) => mapSet(str(a[0]), str(a[1]), a[2], true))],
    [
      'MapValues',
      new GoFunc([S], undefined, T.ifaceSlice, (a) => {
        const key = str(a[0]);
        const m = maps.get(key);
        if (m === undefined) {
          if (values.has(key)) throw new FuncError(`scratch: ${key} is not a map`);
          return new GoSlice([]);
        }
        return new GoSlice([...m.keys()].sort(compareGoStrings).map((k) => m.get(k)));
      }),
    ],
  ]);
  const scratch = new GoStruct('template.Scratch', [], methods);
  return new GoFunc([], undefined, { kind: 'pointer', name: 'template.Scratch' }, () => scratch);
}
