// Adapter from the runner's TemplateRenderer interface to the Go text/template engine in
// ../template/: parsed templates are cached by text and delimiters; the engine gets the raw
// response text (it decodes numbers as json.Number itself) and null for "no secret".

import { parseTemplate, renderTemplate } from '../template/index.js';
import type { Template } from '../template/index.js';
import { NoSecretError } from './fetch-dependency.js';
import type { TemplateRenderer } from './renderer.js';
import { readTemplateFile } from './sandbox.js';

const MAX_CACHED = 256;

export function createGoTemplateRenderer(): TemplateRenderer {
  const parsed = new Map<string, Template>();
  return {
    async render(text, opts, source) {
      const key = JSON.stringify([opts.name, opts.leftDelim, opts.rightDelim, text]);
      let tpl = parsed.get(key);
      if (tpl === undefined) {
        tpl = parseTemplate(text, { name: opts.name, leftDelim: opts.leftDelim, rightDelim: opts.rightDelim });
        if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value ?? '');
        parsed.set(key, tpl);
      }
      const env = opts.env;
      const result = await renderTemplate(tpl, {
        source: {
          async secret(path, writeData) {
            const args = writeData === undefined ? undefined : Object.entries(writeData).map(([k, v]) => `${k}=${v}`);
            try {
              return (await source.secret(path, args)).rawText;
            } catch (e) {
              if (e instanceof NoSecretError) return null;
              throw e;
            }
          },
          list: (path) => source.list(path),
        },
        missingKey: opts.missingKey,
        lookupEnv: (name) => env[name],
        readFile: (path) => readTemplateFile(path, opts.sandboxPath),
      });
      return result.output;
    },
  };
}
