// Core-internal request context. Built-in backends (sys/, auth/token/) live inside the core and
// may see the caller's token record; ordinary plugins only get BackendRequest.caller.
// It is kept in a map keyed by the request id for the duration of the request.

import type { BackendRequest } from '../sdk/index.js';
import type { TokenEntry } from './token/index.js';
import type { WrapInfo } from './wrapping.js';

export interface CoreRequestContext {
  token: string | undefined;
  tokenEntry: TokenEntry | undefined;
  /** Set by sys/wrapping/rewrap: the response is this wrap_info. */
  wrapInfo?: WrapInfo;
}

const contexts = new Map<string, CoreRequestContext>();

/** Registers the context for the request's lifetime; call `detachContext` when it is done. */
export function attachContext(req: BackendRequest, ctx: CoreRequestContext): void {
  contexts.set(req.requestId, ctx);
}

export function detachContext(req: BackendRequest): void {
  contexts.delete(req.requestId);
}

export function contextOf(req: BackendRequest): CoreRequestContext {
  return contexts.get(req.requestId) ?? { token: undefined, tokenEntry: undefined };
}
