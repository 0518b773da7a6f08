// Flags shared by `secrets enable|tune` and `auth enable`, and their translation to the
// mount config the API takes (durations sent as Go duration strings, as the Go client does).

import type { MountConfigInput, MountInput } from '../../api/index.js';
import { CofferError, formatGoDuration, parseDurationSeconds } from '../../shared/index.js';
import type { FlagSpec, ParsedFlags } from '../flags.js';
import { UsageError } from '../flags.js';

export const ttlFlags: FlagSpec[] = [
  { name: 'default-lease-ttl', kind: 'string', usage: 'Default lease TTL (e.g. "1h", "30m", "3600"). Unset means the system default.' },
  { name: 'max-lease-ttl', kind: 'string', usage: 'Maximum lease TTL. Unset means the system default.' },
];

export const describeFlags: FlagSpec[] = [
  { name: 'description', kind: 'string', usage: 'Human-friendly description of the mount.' },
  { name: 'options', kind: 'map', usage: 'Key=value option passed to the backend; repeatable.' },
  { name: 'listing-visibility', kind: 'string', usage: 'Whether to list the mount in the unauthenticated UI listing ("unauth" or "hidden").' },
];

function duration(flags: ParsedFlags, name: string): string {
  try {
    return formatGoDuration(parseDurationSeconds(flags.str(name), name));
  } catch (e) {
    if (e instanceof CofferError) throw new UsageError(`invalid value "${flags.str(name)}" for flag -${name}: ${e.message}`);
    throw e;
  }
}

/** The config object for the flags that were set; undefined when none were. */
export function mountConfigFromFlags(flags: ParsedFlags): MountConfigInput | undefined {
  const cfg: MountConfigInput = {};
  if (flags.isSet('default-lease-ttl')) cfg.default_lease_ttl = duration(flags, 'default-lease-ttl');
  if (flags.isSet('max-lease-ttl')) cfg.max_lease_ttl = duration(flags, 'max-lease-ttl');
  if (flags.isSet('listing-visibility')) cfg.listing_visibility = flags.str('listing-visibility');
  return Object.keys(cfg).length > 0 ? cfg : undefined;
}

/** Mount path from an argument or flag: no leading slash, exactly one trailing slash. */
export function mountPath(p: string): string {
  return p.trim().replace(/^\/+/, '').replace(/\/*$/, '/');
}

/**
 * The enable body both `secrets enable` and `auth enable` build from their shared flags
 * (-description, TTLs, -options, -local, -seal-wrap); callers add their own extras.
 */
export function mountInputFromFlags(flags: ParsedFlags, type: string): MountInput & { config: MountConfigInput; options: Record<string, string> } {
  const input: MountInput & { config: MountConfigInput; options: Record<string, string> } = {
    type,
    config: mountConfigFromFlags(flags) ?? {},
    options: flags.map('options'),
  };
  if (flags.isSet('description')) input.description = flags.str('description');
  if (flags.bool('local')) input.local = true;
  if (flags.bool('seal-wrap')) input.seal_wrap = true;
  return input;
}

/** Drops the empty config and options objects, as the CLI sends only what was given. */
export function withoutEmpty(input: MountInput & { config: MountConfigInput; options: Record<string, string> }): MountInput {
  const { config, options, ...rest } = input;
  return {
    ...rest,
    ...(Object.keys(config).length > 0 ? { config } : {}),
    ...(Object.keys(options).length > 0 ? { options } : {}),
  };
}
