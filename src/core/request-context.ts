// Core-internal request context. Built-in backends (sys/, auth/token/) live inside the core and
// may see the caller's token record; ordinary plugins only get BackendRequest.caller.
// It rides on the request under a module-private symbol (enumerable, so the framework's copies of
// the request keep it) and is invisible to code that does not import this module.

import type { BackendRequest } from '../sdk/index.js';
import type { TokenEntry } from './token-store.js';

export interface CoreRequestContext {
  token: string | undefined;
  tokenEntry: TokenEntry | undefined;
}

const CONTEXT = Symbol('coffer.core.request-context');

export function attachContext(req: BackendRequest, ctx: CoreRequestContext): void {
  Object.defineProperty(req, CONTEXT, { value: ctx, enumerable: true, writable: false, configurable: false });
}

export function contextOf(req: BackendRequest): CoreRequestContext {
  const ctx = (req as unknown as Record<symbol, CoreRequestContext | undefined>)[CONTEXT];
  return ctx ?? { token: undefined, tokenEntry: undefined };
}
