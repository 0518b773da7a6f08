// `coffer kv metadata put|patch`: writes the key-level settings of a KV v2 secret
// (max_versions, cas_required, delete_version_after, custom_metadata) at <mount>/metadata/<path>.

import type { VaultSecret } from '../../api/index.js';
import type { Command, CommandContext } from '../command.js';
import { argsError, exitLocal, exitOk } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { durationFlagSeconds } from '../duration-flag.js';
import type { FlagSpec } from '../flags.js';
import { kvV2Path } from '../kv-preflight.js';
import { printSecret } from '../print-secret.js';
import { formatGoDuration } from '../../shared/index.js';
import {mountFlag, resolve } from './kv.js';

const commonFlags: readonly FlagSpec[] = [
  mountFlag,
  { name: 'max-versions', kind: 'int', usage: 'Versions to keep per key (0: the mount default). Sent only when given.' },
  { name: 'cas-required', kind: 'bool', usage: 'Require check-and-set on writes to this key. Sent only when given (-cas-required=false clears it).' },
  { name: 'delete-version-after', kind: 'string', usage: 'Soft-delete each version this long after it is written ("0s": never). Sent only when given.' },
  { name: 'custom-metadata', kind: 'map', usage: 'A key=value to store as custom metadata; repeatable.' },
];

/** The body holds only the settings whose flags were given, so a patch leaves the others alone. */
function metadataBody(ctx: CommandContext): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (ctx.flags.isSet('max-versions')) body['max_versions'] = ctx.flags.int('max-versions');
  if (ctx.flags.isSet('cas-required')) body['cas_required'] = ctx.flags.bool('cas-required');
  // vault sends the duration as Go prints it ("1h0m0s").
  if (ctx.flags.isSet('delete-version-after')) body['delete_version_after'] = formatGoDuration(durationFlagSeconds(ctx, 'delete-version-after'));
  const custom = ctx.flags.map('custom-metadata');
  if (Object.keys(custom).length > 0) body['custom_metadata'] = custom;
  return body;
}

function metadataWrite(kind: 'put' | 'patch'): Command {
  const flags: FlagSpec[] = [...commonFlags];
  if (kind === 'patch') {
    flags.push({ name: 'remove-custom-metadata', kind: 'list', usage: 'A custom metadata key to remove; repeatable.' });
  }
  return {
    name: `kv metadata ${kind}`,
    synopsis: kind === 'put' ? 'Sets or updates key settings in the KV store' : 'Patches key settings in the KV store',
    help: `Usage: coffer kv metadata ${kind} [options] PATH

  ${kind === 'put' ? 'Writes the key settings of a KV v2 secret (POST/PUT <mount>/metadata/<path>);\n  creates the metadata if the key has no versions yet.' : 'Merges the given settings into a KV v2 secret\'s metadata (JSON merge patch);\n  settings whose flags are not given are left alone.'}`,
    flags,
    http: true,
    output: true,
    async run(ctx) {
      const bad = argsError(ctx, 1, 1);
      if (bad !== undefined) return bad;
      const body = metadataBody(ctx);
      if (kind === 'patch') {
        const removed = ctx.flags.list('remove-custom-metadata');
        if (removed.length > 0) {
          // A null value removes the key under merge-patch semantics.
          const custom: Record<string, unknown> = { ...((body['custom_metadata'] as Record<string, string> | undefined) ?? {}) };
          for (const k of removed) custom[k] = null;
          body['custom_metadata'] = custom;
        }
      }
      let full = '';
      let secret: VaultSecret | undefined;
      try {
        const r = await resolve(ctx, ctx.args[0] ?? '');
        if (r.kv.version !== 2) {
          ctx.err('Metadata not supported on KV Version 1');
          return exitLocal;
        }
        full = kvV2Path(r.path, r.kv.mountPath, 'metadata');
        secret = kind === 'put' ? await r.client.write(full, body) : await r.client.patch(full, body);
      } catch (e) {
        return apiFailure(ctx, `Error writing data to ${full !== '' ? full : (ctx.args[0] ?? '')}`, e);
      }
      if (secret === undefined) {
        if (ctx.format === 'table') ctx.out(`Success! Data written to: ${full}`);
        return exitOk;
      }
      return printSecret(ctx, secret, '');
    },
  };
}

export const kvMetadataPutCommand = metadataWrite('put');
export const kvMetadataPatchCommand = metadataWrite('patch');
