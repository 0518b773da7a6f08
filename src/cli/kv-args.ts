// Turns `k=v` arguments into request data as vault does: `k=@file` reads a file, `k=-` reads
// stdin, `\@` escapes a literal @, a lone `-` or `@file` merges a JSON object, and a repeated key
// becomes a list.

import fs from 'node:fs/promises';
import { UsageError } from './flags.js';

export interface KvSources {
  readStdin(): Promise<string>;
  readFile(path: string): Promise<string>;
}

export const fileSources = (readStdin: () => Promise<string>): KvSources => ({
  readStdin,
  readFile: (p) => fs.readFile(p, 'utf8'),
});

/** Builds the data object; throws UsageError for malformed pairs, unreadable files or bad JSON. */
export async function parseKvArgs(args: readonly string[], src: KvSources): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  let stdinUsed = false;
  const stdinOnce = async (): Promise<string> => {
    if (stdinUsed) throw new UsageError('stdin already consumed');
    stdinUsed = true;
    return src.readStdin();
  };
  const readFile = async (path: string): Promise<string> => {
    try {
      return await src.readFile(path);
    } catch (e) {
      throw new UsageError(`error reading file "${path}": ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  for (const raw of args) {
    const eq = raw.indexOf('=');
    if (eq < 0) {
      if (raw === '-') {
        Object.assign(out, parseJsonObject(await stdinOnce(), 'stdin'));
        continue;
      }
      if (raw.startsWith('@')) {
        Object.assign(out, parseJsonObject(await readFile(raw.slice(1)), raw.slice(1)));
        continue;
      }
      throw new UsageError(`invalid key/value pair "${raw}": format must be key=value`);
    }
    const key = raw.slice(0, eq);
    let value: string = raw.slice(eq + 1);
    if (value.startsWith('@')) value = await readFile(value.slice(1));
    else if (value.startsWith('\\@')) value = value.slice(1);
    else if (value === '-') value = await stdinOnce();
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = [...(Array.isArray(prev) ? (prev as unknown[]) : [prev]), value];
  }
  return out;
}

function parseJsonObject(text: string, source: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`failed to parse JSON input from ${source}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`JSON input from ${source} must be an object`);
  return v as Record<string, unknown>;
}
