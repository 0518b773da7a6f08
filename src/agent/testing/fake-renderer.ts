// A tiny stand-in for the Go template engine in agent tests. It understands only
//   {{ secret "path" .Field.path }}, {{ secret "path" "k=v" … .Field.path }}, {{ list "path" }}, {{ env "NAME" }}
// where .Data/.LeaseID/.LeaseDuration/.Renewable/.Auth map to the response fields and .Raw is the
// response text as received.

import type { RenderOptions, TemplateDataSource, TemplateRenderer } from '../templating/renderer.js';

const FIELD: Record<string, string> = { Data: 'data', LeaseID: 'lease_id', LeaseDuration: 'lease_duration', Renewable: 'renewable', Auth: 'auth', RequestID: 'request_id' };

export function createFakeRenderer(): TemplateRenderer & { renders: number } {
  const r = {
    renders: 0,
    async render(text: string, opts: RenderOptions, source: TemplateDataSource): Promise<string> {
      r.renders++;
      const l = escape(opts.leftDelim);
      const rd = escape(opts.rightDelim);
      const re = new RegExp(`${l}\\s*(secret|list|env)((?:\\s+"[^"]*")+)\\s*([.\\w]*)\\s*${rd}`, 'g');
      let out = '';
      let last = 0;
      for (const m of text.matchAll(re)) {
        out += text.slice(last, m.index);
        last = (m.index ?? 0) + m[0].length;
        const args = [...(m[2] ?? '').matchAll(/"([^"]*)"/g)].map((a) => a[1] ?? '');
        const [path = '', ...rest] = args;
        if (m[1] === 'env') out += opts.env[path] ?? '';
        else if (m[1] === 'list') out += (await source.list(path)).join(',');
        else {
          const secret = await source.secret(path, rest.length > 0 ? rest : undefined);
          if (m[3] === '.Raw') {
            out += secret.rawText;
            continue;
          }
          let v: unknown = secret.body;
          for (const part of (m[3] ?? '').split('.').filter((p) => p !== '')) {
            const key: string = v === secret.body ? (FIELD[part] ?? part) : part;
            v = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
          }
          if (v === undefined && opts.missingKey === 'error') throw new Error(`map has no entry for key ${JSON.stringify(m[3])}`);
          out += v === undefined ? '<no value>' : typeof v === 'string' ? v : JSON.stringify(v);
        }
      }
      return out + text.slice(last);
    },
  };
  return r;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
