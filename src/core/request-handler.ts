// The request pipeline for logical paths: resolve mount → authenticate → existence check →
// authorise → dispatch → shape the result. Each stage is a small function; errors are CofferErrors.

import { randomUUID } from 'node:crypto';
import type { AuthResponse, BackendRequest, BackendResponse, Operation } from '../sdk/index.js';
import { CofferError, permissionDenied } from '../shared/index.js';
import type { AuditAuth, AuditBroker, AuditRequest, AuditResponse } from './audit/index.js';
import type { Authorizer } from './authorize.js';
import type { CoreTelemetry } from './telemetry.js';
import type { LeaseService } from './lease-service.js';
import type { GrantIssuer } from './login-grants.js';
import type { WrapInfo, Wrapper } from './wrapping.js';
import { DEFAULT_WRAP_TTL } from './wrapping.js';
import type { CoreRequestContext } from './request-context.js';
import { attachContext, detachContext } from './request-context.js';
import { routePath } from './mount-entry.js';
import type { RouteTarget, Router } from './router.js';
import { matchesSpecialPath } from './special-paths.js';
import type { TokenEntry, TokenStore } from './token/index.js';

const sameStrings = (a: readonly string[], b: readonly string[]): boolean => a === b || (a.length === b.length && a.every((v, i) => v === b[i]));

/** The operations a client can ask for; create vs update is decided by the existence check. */
export type RequestOperation = 'read' | 'list' | 'update' | 'patch' | 'delete';

export interface LogicalRequest {
  operation: RequestOperation;
  /** Path under /v1/, without a leading '/'. List paths end in '/'. */
  path: string;
  data: Record<string, unknown> | undefined;
  /** The presented client token, if any. */
  token: string | undefined;
  remoteAddress: string;
  /** Seconds, from X-Vault-Wrap-TTL; absent or 0 = do not wrap. */
  wrapTtl?: number;
}

export interface ResponseBody {
  requestId: string;
  leaseId: string;
  renewable: boolean;
  leaseDuration: number;
  data: Record<string, unknown> | null;
  warnings: string[] | null;
  auth: AuthResponse | null;
  mountType: string;
  wrapInfo?: WrapInfo;
}

export type LogicalResult =
  | { kind: 'no-content' }
  /** 202: work continues in the background (tidy, async revoke); warnings go in an envelope. */
  | { kind: 'accepted'; warnings: string[] | null }
  | { kind: 'not-found' }
  | { kind: 'response'; status: 200 | 404; body: ResponseBody };

export interface RequestHandlerDeps {
  router: Router;
  tokens: TokenStore;
  authorizer: Authorizer;
  leases: LeaseService;
  wrapper: Wrapper;
  grants: GrantIssuer;
  audit: AuditBroker;
  telemetry: CoreTelemetry;
}

// Not async: the token store answers a known token without awaiting anything, so do not add a
// promise of our own around it.
function authenticate(tokens: TokenStore, token: string | undefined, remoteAddress: string): Promise<TokenEntry | undefined> | undefined {
  if (token === undefined || token === '') return undefined;
  return tokens.lookup(token, { remoteAddress });
}

// Request ids: a random per-process prefix and a counter, in UUID layout. Unique within the
// process and across restarts (the prefix), and far cheaper than a random UUID per request.
const idPrefix = randomUUID().slice(0, 24);
let idCounter = 0;
function nextRequestId(): string {
  idCounter = (idCounter + 1) % 0x1000000000000;
  return idPrefix + idCounter.toString(16).padStart(12, '0');
}

function shape(op: Operation, res: BackendResponse, mountType: string, requestId: string): LogicalResult {
  const warnings = res.warnings && res.warnings.length > 0 ? [...res.warnings] : null;
  switch (res.kind) {
    case 'none':
      if (res.accepted) return { kind: 'accepted', warnings };
      if (warnings) {
        const body: ResponseBody = { requestId, leaseId: '', renewable: false, leaseDuration: 0, data: null, warnings, auth: null, mountType };
        return { kind: 'response', status: 200, body };
      }
      return op === 'read' || op === 'list' ? { kind: 'not-found' } : { kind: 'no-content' };
    case 'data': {
      if (op === 'list' && !warnings && res.data !== null) {
        const keys = res.data['keys'];
        if ((!Array.isArray(keys) || keys.length === 0) && Object.keys(res.data).length === 1) return { kind: 'not-found' };
      }
      if (res.accepted && res.data === null && !res.auth) return { kind: 'accepted', warnings };
      const body: ResponseBody = {
        requestId,
        leaseId: res.leaseRenewal?.leaseId ?? '',
        renewable: res.leaseRenewal?.renewable ?? false,
        leaseDuration: res.leaseRenewal?.ttl ?? res.leaseDuration ?? 0,
        data: res.data,
        warnings,
        auth: res.auth ?? null,
        mountType,
      };
      return { kind: 'response', status: res.notFound ? 404 : 200, body };
    }
  }
}

function isRecursive(data: Record<string, unknown> | undefined): boolean {
  const v = data?.['recursive'];
  return v === true || v === 'true' || v === '1' || v === 't';
}

/**
 * A recursive list returns keys from many folders, so the ACL of the listed folder alone does not
 * cover them: keep only keys the token may list or read.
 */
async function filterListedKeys(body: ResponseBody, listPath: string, caps: (path: string) => Promise<string[]>): Promise<void> {
  const keys = body.data?.['keys'];
  if (!Array.isArray(keys) || body.data === null) return;
  const visible: unknown[] = [];
  for (const k of keys) {
    if (typeof k !== 'string') continue;
    const c = await caps(listPath + k);
    if (c.includes('root') || c.includes('list') || c.includes('read')) visible.push(k);
  }
  body.data = { ...body.data, keys: visible };
}

/** What the audit log records of a result. */
function auditedResponse(r: LogicalResult): AuditResponse | undefined {
  if (r.kind !== 'response') return undefined;
  const b = r.body;
  return { data: b.data, leaseId: b.leaseId, auth: b.auth, wrapInfo: b.wrapInfo, warnings: b.warnings };
}

/** The envelope of a wrapped response: only wrap_info. */
function wrappedResult(info: WrapInfo, mountType: string): LogicalResult {
  return {
    kind: 'response',
    status: 200,
    body: { requestId: '', leaseId: '', renewable: false, leaseDuration: 0, data: null, warnings: null, auth: null, mountType, wrapInfo: info },
  };
}

export function createRequestHandler(deps: RequestHandlerDeps): (req: LogicalRequest) => Promise<LogicalResult> {
  const { router, tokens, authorizer, leases, wrapper, grants, audit } = deps;
  // A token's audit view is the same on every request while its record (and its identity
  // policies) stay the same: build it once per record, so audit devices can also reuse its JSON.
  const auditAuths = new WeakMap<TokenEntry, { token: string; identity: readonly string[]; auth: AuditAuth }>();
  const auditAuthFor = (token: string, e: TokenEntry): AuditAuth => {
    const identity = authorizer.identityPolicies(e);
    const hit = auditAuths.get(e);
    if (hit !== undefined && hit.token === token && sameStrings(hit.identity, identity)) return hit.auth;
    const auth: AuditAuth = {
      clientToken: token,
      accessor: e.accessor,
      displayName: e.displayName,
      policies: [...new Set([...e.policies, ...identity])].sort(),
      tokenPolicies: [...e.policies].sort(),
      identityPolicies: identity,
      metadata: e.meta,
      entityId: e.entityId,
      tokenType: e.type,
      tokenTtl: e.ttl,
      issueTime: e.creationTime,
    };
    auditAuths.set(e, { token, identity, auth });
    return auth;
  };
  /** What the audit log records of this request (built only while an audit device is enabled). */
  const auditRequest = (req: LogicalRequest, breq: BackendRequest, target: RouteTarget, tokenEntry: TokenEntry | undefined, wrapTtl: number): AuditRequest => ({
    id: breq.requestId,
    operation: breq.operation,
    path: req.path,
    data: req.data,
    mount: { path: routePath(target.entry), type: target.entry.type, accessor: target.entry.accessor, class: target.entry.table === 'auth' ? 'auth' : 'secret' },
    remoteAddress: req.remoteAddress,
    wrapTtl,
    auth: tokenEntry ? auditAuthFor(req.token ?? '', tokenEntry) : undefined,
  });
  /** Audits a refused or failed request (its request entry, or its response entry) and rethrows. */
  const auditFailure = async (areq: AuditRequest | undefined, stage: 'request' | 'response', e: unknown): Promise<never> => {
    if (areq !== undefined) {
      const message = e instanceof Error ? e.message : String(e);
      if (stage === 'request') await audit.logRequest(areq, message);
      else await audit.logResponse(areq, undefined, message);
    }
    throw e;
  };
  const handle = handleOne;
  // Timing wraps the whole pipeline; the mount is known once the route is resolved.
  return async (req) => {
    const started = performance.now();
    const box = { mount: '' };
    try {
      const result = await handle(req, box);
      deps.telemetry.requestHandled(req.operation, box.mount, (performance.now() - started) / 1000, true);
      return result;
    } catch (e) {
      deps.telemetry.requestHandled(req.operation, box.mount, (performance.now() - started) / 1000, false);
      throw e;
    }
  };

  async function handleOne(req: LogicalRequest, box: { mount: string }): Promise<LogicalResult> {
    const resolved = router.resolve(req.path);
    if (!resolved) {
      throw new CofferError('unsupported_path', `no handler for route "${req.path}". route entry not found.`);
    }
    const { target, relative } = resolved;
    box.mount = routePath(target.entry);
    // sys/wrapping/wrap always wraps (5 minutes unless the client asked for another TTL).
    const wrapTtl = req.wrapTtl !== undefined && req.wrapTtl > 0 ? req.wrapTtl : req.path === 'sys/wrapping/wrap' ? DEFAULT_WRAP_TTL : 0;
    const special = target.backend.specialPaths;
    const unauthenticated = matchesSpecialPath(special.unauthenticated, relative);
    const tokenEntry = await authenticate(tokens, req.token, req.remoteAddress);
    if (!unauthenticated && tokenEntry === undefined) throw permissionDenied();

    const breq: BackendRequest = {
      operation: req.operation,
      path: relative,
      data: req.data,
      storage: target.storage,
      mountPath: routePath(target.entry),
      caller: tokenEntry
        ? { accessor: tokenEntry.accessor, policies: tokenEntry.policies, entityId: tokenEntry.entityId, displayName: tokenEntry.displayName }
        : undefined,
      remoteAddress: req.remoteAddress,
      requestId: nextRequestId(),
    };
    const coreContext: CoreRequestContext = { token: req.token, tokenEntry };
    attachContext(breq, coreContext);
    // Built after the existence check (the audited operation is create or update).
    let areq: AuditRequest | undefined;
    try {
      if (req.operation === 'update') {
        const exists = await target.backend.existenceCheck(breq);
        if (exists === false) breq.operation = 'create';
      }
      if (!unauthenticated && tokenEntry !== undefined) {
        const needsSudo = matchesSpecialPath(special.root, relative);
        const decision = await authorizer.check(tokenEntry, {
          path: req.path,
          operation: breq.operation,
          data: req.data,
          sudoRequired: needsSudo,
          ...(wrapTtl > 0 ? { wrapTtl } : {}),
        });
        if (decision.kind === 'deny') {
          if (audit.active()) await auditFailure(auditRequest(req, breq, target, tokenEntry, wrapTtl), 'request', permissionDenied());
          throw permissionDenied();
        }
      }
      // Fail closed: no device recorded the request → it does not run.
      if (audit.active()) {
        areq = auditRequest(req, breq, target, tokenEntry, wrapTtl);
        await audit.logRequest(areq);
      }
      // A limited-use token spends a use only once the request is allowed; its last use revokes it
      // after the request (the record is already unusable, so a failed revoke is left to tidy).
      let exhausted = false;
      // Unlimited tokens (numUses 0) spend nothing: skip the call and its await.
      if (!unauthenticated && tokenEntry !== undefined && tokenEntry.numUses !== 0) {
        const used = await tokens.use(tokenEntry);
        coreContext.tokenEntry = used.entry;
        exhausted = used.exhausted;
      }
      const execute = async (): Promise<LogicalResult> => {
        const res = await target.backend.handleRequest(breq);
        const result = shape(breq.operation, res, target.entry.type, breq.requestId);
        if (res.kind === 'data' && res.secret && result.kind === 'response') {
          const lease = await leases.registerSecret({ path: req.path, target, grant: res.secret, token: coreContext.tokenEntry });
          result.body.leaseId = lease.id;
          result.body.renewable = lease.renewable;
          result.body.leaseDuration = lease.ttl;
        }
        if (res.kind === 'data' && res.grant && result.kind === 'response') {
          const { auth, warnings } = await grants.issue(res.grant, target, req.path);
          result.body.auth = auth;
          if (warnings.length > 0) result.body.warnings = [...(result.body.warnings ?? []), ...warnings];
        }
        if (coreContext.wrapInfo) return wrappedResult(coreContext.wrapInfo, target.entry.type);
        if (breq.operation === 'list' && isRecursive(req.data) && tokenEntry !== undefined && result.kind === 'response') {
          await filterListedKeys(result.body, req.path, (p) => authorizer.capabilities(tokenEntry, p));
        }
        if (wrapTtl > 0 && result.kind === 'response' && result.status === 200) {
          return wrappedResult(await wrapper.wrap(result.body, wrapTtl, req.path), target.entry.type);
        }
        return result;
      };
      try {
        let final: LogicalResult;
        try {
          final = await execute();
        } catch (e) {
          return await auditFailure(areq, 'response', e);
        }
        if (areq !== undefined) await audit.logResponse(areq, auditedResponse(final));
        return final;
      } finally {
        if (exhausted && tokenEntry !== undefined) await tokens.revoke(tokenEntry).catch(() => undefined);
      }
    } finally {
      detachContext(breq);
    }
  }
}
