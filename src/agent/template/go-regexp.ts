// Go RE2 patterns run on JavaScript's RegExp: (?P<name>…) groups and leading (?i)/(?s)/(?m)
// flags are translated, and replacement templates expand with Go's $name / ${name} rules.
import { FuncError } from './template-error.js';

/** Compiles a Go regular expression; global for replace-all, sticky-free for matching. */
export function compileGoRegexp(pattern: string, global: boolean): RegExp {
  let flags = 'u';
  let p = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(p);
  if (lead !== null) {
    const f = lead[1] ?? '';
    if (f.includes('i')) flags += 'i';
    if (f.includes('s')) flags += 's';
    if (f.includes('m')) flags += 'm';
    p = p.slice(lead[0].length);
  }
  p = p.replace(/\(\?P</g, '(?<');
  if (global) flags += 'g';
  try {
    return new RegExp(p, flags);
  } catch (e) {
    throw new FuncError(`error parsing regexp: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** regexp.Expand: $1, ${1}, $name, ${name}; $$ is a dollar; a name is the longest word run. */
export function expandGoTemplate(template: string, match: readonly unknown[]): string {
  const groups = match.findLast((x) => typeof x === 'object' && x !== null) as Record<string, string | undefined> | undefined;
  const numbered = match.filter((_, i) => i < match.length - 2 - (groups === undefined ? 0 : 1));
  const lookup = (name: string): string => {
    if (/^\d+$/.test(name)) {
      const v = numbered[Number(name)];
      return typeof v === 'string' ? v : '';
    }
    return groups?.[name] ?? '';
  };
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const name = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || !/^\w+$/.test(name)) {
        out += '$';
        continue;
      }
      out += lookup(name);
      i = close;
      continue;
    }
    const m = /^\w+/.exec(template.slice(i + 1));
    if (m === null) {
      out += '$';
      continue;
    }
    out += lookup(m[0]);
    i += m[0].length;
  }
  return out;
}
