// The seal lifecycle: one state machine (uninitialized → sealed ⇄ unsealed) that owns the root
// key and the keyring, collects Shamir unseal shares, rotates terms and hands out the barrier.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import {
  CofferError,
  createKeyedMutex,
  invalidRequest,
  sealedError,
  silentLogger,
  type Clock,
  type Logger,
} from '../shared/index.js';
import { createBarrierStorage } from './barrier-storage.js';
import { mintCiphertext } from './ciphertext.js';
import { decryptEntry, encryptEntry, KEY_LEN } from './entry-cipher.js';
import {
  activeKey,
  addTerm,
  createKeyring,
  decodeKeyring,
  encodeKeyring,
  generateKey,
  wipeKeyring,
  type Keyring,
} from './keyring.js';
import type { PhysicalBackend } from './physical.js';
import type { PlaintextCacheLimits } from './plaintext-cache.js';
import { KEYRING_KEY, ROOT_KEY_KEY, SEAL_CONFIG_KEY } from './reserved-keys.js';
import { decodeSealConfig, encodeSealConfig, validateSealConfig, type SealConfig } from './seal-config.js';
import type { SecureStorage } from './secure-storage.js';
import { SHARE_LEN } from './unseal-key.js';

/** What sys/seal-status reports about the seal (the barrier's part of it). */
export interface SealStatus {
  type: 'shamir';
  initialized: boolean;
  sealed: boolean;
  /** Threshold; 0 when uninitialized. */
  t: number;
  /** Number of shares; 0 when uninitialized. */
  n: number;
  /** Distinct shares received in the current unseal attempt. */
  progress: number;
  /** Id of the current unseal attempt; "" when none is in progress. */
  nonce: string;
}

/** What sys/key-status reports. */
export interface KeyStatus {
  term: number;
  installTime: Date;
  /** Encryptions with the current term since it was installed or since this unseal. */
  encryptions: number;
}

export interface SealManager {
  status(): SealStatus;
  /**
   * Initializes the seal: root key, keyring (term 1), and a key-encryption key split into
   * `secretShares` shares (a 1-of-1 "share" is the KEK itself). Stays sealed. The caller owns
   * the returned shares. Errors (invalid_request): `Vault is already initialized`, or one of
   * Vault's `invalid seal configuration: …` messages.
   */
  initialize(opts: { secretShares: number; secretThreshold: number }): Promise<{ shares: Uint8Array[] }>;
  /**
   * Adds one share to the unseal attempt (a share already given does not count again). At the
   * threshold, combines them and unseals, or resets the attempt and throws invalid_request
   * `unseal failed, invalid key`. Also invalid_request: `Vault is not initialized`, and a share
   * of the wrong length (`unseal failed, invalid key`, the attempt is kept). Already unsealed →
   * the status. Calls are serialized.
   */
  submitUnsealKey(share: Uint8Array): Promise<SealStatus>;
  /** Discards the shares collected so far. Unsealed → invalid_request `vault is unsealed`. */
  resetUnseal(): SealStatus;
  /** Zeroes all key material and returns to sealed. No-op unless unsealed. */
  seal(): void;
  /** The barrier. Throws 'sealed' while sealed; its operations also reject once sealed. */
  storage(): SecureStorage;
  /** Adds a keyring term used for all new writes; older terms keep decrypting. Sealed → 'sealed'. */
  rotate(): Promise<void>;
  /** The active term. Sealed → 'sealed'. */
  keyStatus(): KeyStatus;
  /** Calls `listener` each time the manager goes from unsealed to sealed. Returns an unsubscribe. */
  onSealed(listener: () => void): () => void;
}

export interface SealManagerDeps {
  physical: PhysicalBackend;
  clock: Clock;
  logger?: Logger;
  /** Bounds of the barrier's in-memory cache of decrypted entries (maxEntries 0 disables it). */
  plaintextCache?: PlaintextCacheLimits;
}

interface UnsealProgress {
  readonly nonce: string;
  readonly shares: Uint8Array[];
}

type SealState =
  | { readonly kind: 'uninitialized' }
  | { readonly kind: 'sealed'; readonly config: SealConfig; progress: UnsealProgress | undefined }
  | {
      readonly kind: 'unsealed';
      readonly config: SealConfig;
      readonly rootKey: Buffer;
      keyring: Keyring;
      encryptions: number;
    };

const invalidKey = (): CofferError => invalidRequest('unseal failed, invalid key');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function wipeProgress(p: UnsealProgress | undefined): void {
  for (const s of p?.shares ?? []) s.fill(0);
}

/**
 * Creates the seal manager over `physical`. Reads the stored seal configuration to learn whether
 * the vault is initialized; starts sealed (or uninitialized). Rejects with internal if the stored
 * configuration is corrupt.
 */
export async function createSealManager(deps: SealManagerDeps): Promise<SealManager> {
  const { physical, clock } = deps;
  const logger = deps.logger ?? silentLogger;
  const lock = createKeyedMutex();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => lock.run('seal', fn);
  const sealedListeners = new Set<() => void>();

  const storedConfig = await physical.get(SEAL_CONFIG_KEY);
  let state: SealState =
    storedConfig === undefined
      ? { kind: 'uninitialized' }
      : { kind: 'sealed', config: decodeSealConfig(storedConfig), progress: undefined };

  const barrier = createBarrierStorage(
    physical,
    {
      keyring() {
        if (state.kind !== 'unsealed') throw sealedError();
        return state.keyring;
      },
      countEncryption() {
        if (state.kind === 'unsealed') state.encryptions++;
      },
    },
    deps.plaintextCache,
  );

  function status(): SealStatus {
    switch (state.kind) {
      case 'uninitialized':
        return { type: 'shamir', initialized: false, sealed: true, t: 0, n: 0, progress: 0, nonce: '' };
      case 'sealed': {
        const { secretThreshold: t, secretShares: n } = state.config;
        const p = state.progress;
        return { type: 'shamir', initialized: true, sealed: true, t, n, progress: p?.shares.length ?? 0, nonce: p?.nonce ?? '' };
      }
      case 'unsealed': {
        const { secretThreshold: t, secretShares: n } = state.config;
        return { type: 'shamir', initialized: true, sealed: false, t, n, progress: 0, nonce: '' };
      }
    }
  }

  async function initialize(opts: { secretShares: number; secretThreshold: number }): Promise<{ shares: Uint8Array[] }> {
    return serialized(async () => {
      if (state.kind !== 'uninitialized') throw invalidRequest('Vault is already initialized');
      const config = validateSealConfig(opts.secretShares, opts.secretThreshold);
      // Another process sharing this storage may have initialized it since we started.
      const existing = await physical.get(SEAL_CONFIG_KEY);
      if (existing !== undefined) {
        state = { kind: 'sealed', config: decodeSealConfig(existing), progress: undefined };
        throw invalidRequest('Vault is already initialized');
      }
      const rootKey = generateKey();
      const ring = createKeyring(clock.now());
      const kek = generateKey();
      try {
        const encodedRing = encodeKeyring(ring);
        const ringEntry = encryptEntry(rootKey, 0, KEYRING_KEY, encodedRing);
        encodedRing.fill(0);
        const rootEntry = encryptEntry(kek, 0, ROOT_KEY_KEY, rootKey);
        // The library insists on a plain Uint8Array (not a Buffer); this view shares kek's memory.
        const plainKek = new Uint8Array(kek.buffer, kek.byteOffset, kek.byteLength);
        const shares =
          config.secretShares === 1
            ? [Uint8Array.from(kek)]
            : await split(plainKek, config.secretShares, config.secretThreshold);
        // The seal config goes last: its presence means "initialized", so a crash before it
        // leaves a vault that can simply be initialized again.
        await physical.put(KEYRING_KEY, mintCiphertext(ringEntry));
        await physical.put(ROOT_KEY_KEY, mintCiphertext(rootEntry));
        await physical.put(SEAL_CONFIG_KEY, mintCiphertext(encodeSealConfig(config)));
        state = { kind: 'sealed', config, progress: undefined };
        logger.info({ shares: config.secretShares, threshold: config.secretThreshold }, 'barrier initialized');
        return { shares };
      } finally {
        rootKey.fill(0);
        kek.fill(0);
        wipeKeyring(ring);
      }
    });
  }

  /** Recovers the root key and keyring with `kek`; undefined when the KEK is wrong. */
  async function openWith(kek: Uint8Array): Promise<{ rootKey: Buffer; keyring: Keyring } | undefined> {
    const rootEntry = await physical.get(ROOT_KEY_KEY);
    if (rootEntry === undefined) throw new CofferError('internal', 'barrier root key is missing from storage');
    const plainRoot = decryptEntry(kek, ROOT_KEY_KEY, rootEntry);
    if (!plainRoot) return undefined;
    const rootKey = Buffer.alloc(KEY_LEN);
    const rootLen = plainRoot.copy(rootKey);
    plainRoot.fill(0);
    if (rootLen !== KEY_LEN) throw new CofferError('internal', 'barrier root key is corrupt');
    try {
      const ringEntry = await physical.get(KEYRING_KEY);
      if (ringEntry === undefined) throw new CofferError('internal', 'barrier keyring is missing from storage');
      const plainRing = decryptEntry(rootKey, KEYRING_KEY, ringEntry);
      if (!plainRing) throw new CofferError('internal', 'barrier keyring failed to decrypt');
      try {
        return { rootKey, keyring: decodeKeyring(plainRing) };
      } finally {
        plainRing.fill(0);
      }
    } catch (e) {
      rootKey.fill(0);
      throw e;
    }
  }

  async function submitUnsealKey(share: Uint8Array): Promise<SealStatus> {
    return serialized(async () => {
      if (state.kind === 'uninitialized') throw invalidRequest('Vault is not initialized');
      if (state.kind === 'unsealed') return status();
      const sealed = state;
      const { config } = sealed;
      if (share.length !== (config.secretThreshold === 1 ? KEY_LEN : SHARE_LEN)) throw invalidKey();

      const progress = sealed.progress ?? { nonce: randomUUID(), shares: [] };
      sealed.progress = progress;
      if (!progress.shares.some((s) => sameBytes(s, share))) progress.shares.push(Uint8Array.from(share));
      if (progress.shares.length < config.secretThreshold) return status();

      // Threshold reached: this attempt ends here whatever happens next.
      sealed.progress = undefined;
      const collected = progress.shares;
      let kek: Uint8Array | undefined;
      try {
        if (config.secretThreshold === 1) kek = Uint8Array.from(collected[0] ?? []);
        else kek = await combine(collected).catch(() => undefined);
        const opened = kek && (await openWith(kek));
        if (!opened) {
          logger.warn('unseal attempt failed: the shares do not open the root key');
          throw invalidKey();
        }
        if (state !== sealed) {
          // Not reachable today (only this serialized path leaves 'sealed'), but never install
          // keys into a state we did not start from.
          opened.rootKey.fill(0);
          wipeKeyring(opened.keyring);
          return status();
        }
        state = { kind: 'unsealed', config, rootKey: opened.rootKey, keyring: opened.keyring, encryptions: 0 };
        logger.info({ term: opened.keyring.activeTerm }, 'barrier unsealed');
        return status();
      } finally {
        kek?.fill(0);
        for (const s of collected) s.fill(0);
      }
    });
  }

  function resetUnseal(): SealStatus {
    if (state.kind === 'unsealed') throw invalidRequest('vault is unsealed');
    if (state.kind === 'sealed') {
      wipeProgress(state.progress);
      state.progress = undefined;
    }
    return status();
  }

  function seal(): void {
    if (state.kind !== 'unsealed') return;
    const was = state;
    state = { kind: 'sealed', config: was.config, progress: undefined };
    was.rootKey.fill(0);
    wipeKeyring(was.keyring);
    barrier.wipe();
    logger.info('barrier sealed');
    for (const l of [...sealedListeners]) {
      try {
        l();
      } catch (e) {
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'onSealed listener threw');
      }
    }
  }

  async function rotate(): Promise<void> {
    return serialized(async () => {
      if (state.kind !== 'unsealed') throw sealedError();
      const unsealed = state;
      const next = addTerm(unsealed.keyring, clock.now());
      const added = activeKey(next);
      const encoded = encodeKeyring(next);
      const entry = encryptEntry(unsealed.rootKey, 0, KEYRING_KEY, encoded);
      encoded.fill(0);
      try {
        await physical.put(KEYRING_KEY, mintCiphertext(entry));
      } catch (e) {
        added.key.fill(0);
        throw e;
      }
      // Install only after the new term is durable, so no entry is ever written under a term
      // that a restart would not know.
      if (state !== unsealed) {
        added.key.fill(0);
        throw sealedError();
      }
      unsealed.keyring = next;
      unsealed.encryptions = 0;
      logger.info({ term: added.term }, 'barrier key rotated');
    });
  }

  function keyStatus(): KeyStatus {
    if (state.kind !== 'unsealed') throw sealedError();
    const k = activeKey(state.keyring);
    return { term: k.term, installTime: new Date(k.installTime), encryptions: state.encryptions };
  }

  return {
    status,
    initialize,
    submitUnsealKey,
    resetUnseal,
    seal,
    storage() {
      if (state.kind !== 'unsealed') throw sealedError();
      return barrier;
    },
    rotate,
    keyStatus,
    onSealed(listener) {
      sealedListeners.add(listener);
      return () => {
        sealedListeners.delete(listener);
      };
    },
  };
}
