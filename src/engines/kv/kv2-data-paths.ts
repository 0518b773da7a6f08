// KV v2 secret data paths: data/<path> (read, write, patch, soft delete of the latest version),
// delete/ undelete/ destroy/<path> for chosen versions, and subkeys/<path>.

import type { BackendResponse } from '../../sdk/index.js';
import { dataResponse, definePath, noContent } from '../../sdk/index.js';
import { CofferError, invalidRequest, notFound } from '../../shared/index.js';
import type { Kv2Context } from './kv2-context.js';
import { checkCas, readCas } from './kv2-context.js';
import type { SecretMeta, VersionMeta } from './kv2-records.js';
import { newSecretMeta } from './kv2-records.js';
import { addVersion, isDeleted, isUnreadable, versionView } from './kv2-versions.js';
import { applyMergePatch } from './merge-patch.js';
import { subkeysOf } from './subkeys.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

type Resolved<M> = { kind: 'missing' } | { kind: 'found'; meta: M; version: number; vm: VersionMeta };

/**
 * Finds the requested version (0/undefined = current) of a secret's metadata, loaded by `load`:
 * the store's cached, frozen readMeta for reads, its fresh getMeta when the caller will write.
 */
async function resolveVersion<M extends Readonly<SecretMeta>>(load: (path: string) => Promise<M | undefined>, path: string, requested: number | undefined): Promise<Resolved<M>> {
  const meta = await load(path);
  if (meta === undefined) return { kind: 'missing' };
  const version = requested === undefined || requested === 0 ? meta.currentVersion : requested;
  const vm = meta.versions[String(version)];
  if (vm === undefined) return { kind: 'missing' };
  return { kind: 'found', meta, version, vm };
}

/** 404 with a full envelope: the version exists but is deleted or destroyed. */
const unreadable = (data: Record<string, unknown>): BackendResponse => ({ kind: 'data', data, notFound: true });

const versionsField = { versions: { type: 'comma-int-list' as const } };

function requireVersions(versions: number[] | undefined): number[] {
  if (versions === undefined || versions.length === 0) throw invalidRequest('no version number provided');
  return versions;
}

export function kv2DataPaths(ctx: Kv2Context): ReturnType<typeof definePath>[] {
  const { store, clock, locks } = ctx;

  /** Writes `data` as a new version after the cas check; shared by write and patch. */
  const writeVersion = async (path: string, meta: SecretMeta | undefined, data: Record<string, unknown>): Promise<BackendResponse> => {
    const config = await store.getConfig();
    const now = clock.now();
    const next = meta ?? newSecretMeta(now);
    const { version, trimmed } = addVersion(next, config, now);
    // Both puts in flight together so group commit can make them durable in one round.
    await Promise.all([store.putVersion(path, version, data), store.putMeta(path, next)]);
    if (trimmed.length > 0) await Promise.all(trimmed.map((n) => store.deleteVersion(path, n)));
    const vm = next.versions[String(version)];
    if (vm === undefined) throw new CofferError('internal', 'new version missing from metadata');
    return dataResponse(versionView(next, version, vm));
  };

  /**
   * delete/, undelete/ and destroy/: apply `change` to each listed version under the secret's lock
   * (it returns whether it changed anything), save the metadata once, then run `after` on the
   * versions that changed. Missing secrets and unknown versions are ignored, as in Vault.
   */
  const versionsPath = (
    verb: string,
    help: string,
    change: (vm: VersionMeta, now: number) => boolean,
    after?: (path: string, changed: number[]) => Promise<void>,
  ) =>
    definePath({
      pattern: `${verb}/*path`,
      fields: versionsField,
      operations: {
        update: async (req) => {
          const path = req.params['path'] ?? '';
          const versions = requireVersions(req.fields.versions);
          return locks.run(path, async () => {
            const meta = await store.getMeta(path);
            if (meta === undefined) return noContent();
            const now = clock.now();
            const changed = versions.filter((n) => {
              const vm = meta.versions[String(n)];
              return vm !== undefined && change(vm, now);
            });
            if (changed.length === 0) return noContent();
            await store.putMeta(path, meta);
            await after?.(path, changed);
            return noContent();
          });
        },
      },
      help,
    });

  return [
    definePath({
      pattern: 'data/*path',
      fields: {
        version: { type: 'int', description: 'Version to read; 0 or absent = current.' },
        data: { type: 'map', description: 'The secret data.' },
        options: { type: 'map', description: 'Write options; "cas" is the check-and-set version.' },
      },
      exists: async (req) => (await store.readMeta(req.params['path'] ?? '')) !== undefined,
      operations: {
        read: async (req) => {
          const path = req.params['path'] ?? '';
          const r = await resolveVersion((p) => store.readMeta(p), path, req.fields.version);
          if (r.kind === 'missing') return noContent();
          const metadata = versionView(r.meta, r.version, r.vm);
          if (isUnreadable(r.vm, clock.now())) return unreadable({ data: null, metadata });
          const data = await store.readVersion(path, r.version);
          // Metadata ahead of its payload: an unacknowledged write that failed halfway.
          if (data === undefined) return noContent();
          return dataResponse({ data, metadata });
        },
        update: async (req) => {
          const path = req.params['path'] ?? '';
          const data = req.fields.data;
          if (data === undefined) throw invalidRequest('no data provided');
          const cas = readCas(req.fields.options);
          return locks.run(path, async () => {
            const meta = await store.getMeta(path);
            checkCas(cas, await store.getConfig(), meta);
            return writeVersion(path, meta, data);
          });
        },
        patch: async (req) => {
          const path = req.params['path'] ?? '';
          const patch = req.fields.data;
          if (patch === undefined) throw invalidRequest('no data provided');
          const cas = readCas(req.fields.options);
          return locks.run(path, async () => {
            const r = await resolveVersion((p) => store.getMeta(p), path, undefined);
            if (r.kind === 'missing' || isUnreadable(r.vm, clock.now())) throw notFound();
            checkCas(cas, await store.getConfig(), r.meta);
            const current = await store.getVersion(path, r.version);
            if (current === undefined) throw notFound();
            const merged = applyMergePatch(current, patch);
            return writeVersion(path, r.meta, isObject(merged) ? merged : {});
          });
        },
        delete: async (req) => {
          const path = req.params['path'] ?? '';
          return locks.run(path, async () => {
            const meta = await store.getMeta(path);
            const vm = meta?.versions[String(meta.currentVersion)];
            const now = clock.now();
            if (meta === undefined || vm === undefined || vm.destroyed || isDeleted(vm, now)) return noContent();
            vm.deletion = now;
            await store.putMeta(path, meta);
            return noContent();
          });
        },
      },
      help: 'Read, write, patch or soft-delete the versioned data of a secret.',
    }),

    versionsPath('delete', 'Soft-delete the given versions of a secret.', (vm, now) => {
      if (vm.destroyed || isDeleted(vm, now)) return false;
      vm.deletion = now;
      return true;
    }),
    versionsPath('undelete', 'Restore soft-deleted versions of a secret.', (vm) => {
      if (vm.destroyed || vm.deletion === null) return false;
      vm.deletion = null;
      return true;
    }),
    // Destroying also removes the payloads, once the metadata says they are gone.
    versionsPath(
      'destroy',
      'Permanently remove the data of the given versions of a secret.',
      (vm) => {
        if (vm.destroyed) return false;
        vm.destroyed = true;
        return true;
      },
      (path, changed) => Promise.all(changed.map((n) => store.deleteVersion(path, n))).then(() => undefined),
    ),

    definePath({
      pattern: 'subkeys/*path',
      fields: {
        version: { type: 'int', description: 'Version to read; 0 or absent = current.' },
        depth: { type: 'int', description: 'How many levels to descend; 0 = all.' },
      },
      operations: {
        read: async (req) => {
          const path = req.params['path'] ?? '';
          const depth = req.fields.depth ?? 0;
          if (depth < 0) throw invalidRequest('depth must be a non-negative integer');
          const r = await resolveVersion((p) => store.readMeta(p), path, req.fields.version);
          if (r.kind === 'missing') return noContent();
          const metadata = versionView(r.meta, r.version, r.vm);
          if (isUnreadable(r.vm, clock.now())) return unreadable({ subkeys: null, metadata });
          const data = await store.readVersion(path, r.version);
          if (data === undefined) return noContent();
          return dataResponse({ subkeys: subkeysOf(data, depth), metadata });
        },
      },
      help: "The structure of a secret's data with every leaf value replaced by null.",
    }),
  ];
}
