// Connection strings as Vault's plugins take them: PostgreSQL URLs or key=value strings, and
// MySQL Go-driver DSNs (user:pass@tcp(host:port)/db) or mysql:// URLs. Parsed while the
// `{{username}}`/`{{password}}` placeholders are still in place, so credentials need no escaping.

import { CofferError } from '../../shared/index.js';

export interface ConnectionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** A Unix socket (PostgreSQL: its directory; MySQL: the socket file). */
  socketPath?: string;
  /** undefined = driver default (no TLS); 'require' = TLS without verification; 'verify' = verified TLS. */
  tls?: 'require' | 'verify';
}

export interface RootCredentials {
  username: string;
  password: string;
}

const PLACEHOLDER = /\{\{\s*(username|password)\s*\}\}/g;

const fill = (s: string, creds: RootCredentials): string =>
  s.replace(PLACEHOLDER, (_m, k: string) => (k === 'username' ? creds.username : creds.password));

const invalid = (what: string): CofferError => new CofferError('invalid_request', `invalid connection_url: ${what}`);

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseUrl(template: string, defaultPort: number): { target: ConnectionTarget; params: URLSearchParams } {
  let u: URL;
  try {
    u = new URL(template);
  } catch {
    throw invalid('not a URL');
  }
  const params = u.searchParams;
  const host = decode(u.hostname).replace(/^\[|\]$/g, '');
  const target: ConnectionTarget = {
    host: host === '' ? (params.get('host') ?? '127.0.0.1') : host,
    port: u.port === '' ? defaultPort : Number(u.port),
    database: decode(u.pathname.replace(/^\//, '')),
    user: decode(u.username),
    password: decode(u.password),
  };
  return { target, params };
}

function applyCreds(t: ConnectionTarget, creds: RootCredentials): ConnectionTarget {
  const out = { ...t, user: fill(t.user, creds), password: fill(t.password, creds) };
  // No credentials in the string at all: use the configured ones.
  if (t.user === '' && creds.username !== '') out.user = creds.username;
  if (t.password === '' && creds.password !== '') out.password = creds.password;
  return out;
}

function pgTls(mode: string | null | undefined): ConnectionTarget['tls'] {
  if (mode === 'require' || mode === 'prefer' || mode === 'allow') return mode === 'require' ? 'require' : undefined;
  if (mode === 'verify-ca' || mode === 'verify-full') return 'verify';
  return undefined;
}

/** Parses a PostgreSQL connection_url (URL or key=value form); throws invalid_request. */
export function parsePostgresConnection(template: string, creds: RootCredentials): ConnectionTarget {
  const trimmed = template.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    const { target, params } = parseUrl(trimmed, 5432);
    const hostParam = params.get('host');
    if (hostParam?.startsWith('/')) target.socketPath = hostParam;
    const tls = pgTls(params.get('sslmode'));
    const withCreds = applyCreds({ ...target, database: target.database === '' ? 'postgres' : target.database }, creds);
    if (tls !== undefined) withCreds.tls = tls;
    return withCreds;
  }
  if (!/^\s*\w+\s*=/.test(trimmed)) throw invalid('expected postgresql://… or key=value pairs');
  const kv = new Map<string, string>();
  const re = /(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)/g;
  for (let m = re.exec(trimmed); m !== null; m = re.exec(trimmed)) {
    let v = m[2] ?? '';
    if (v.startsWith("'")) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    kv.set((m[1] ?? '').toLowerCase(), v);
  }
  const host = kv.get('host') ?? '127.0.0.1';
  const t: ConnectionTarget = {
    host: host.startsWith('/') ? '127.0.0.1' : host,
    port: Number(kv.get('port') ?? 5432),
    database: kv.get('dbname') ?? 'postgres',
    user: kv.get('user') ?? '',
    password: kv.get('password') ?? '',
  };
  if (host.startsWith('/')) t.socketPath = host;
  const out = applyCreds(t, creds);
  const tls = pgTls(kv.get('sslmode'));
  if (tls !== undefined) out.tls = tls;
  if (!Number.isInteger(out.port)) throw invalid('bad port');
  return out;
}

/** Parses a MySQL connection_url: a Go-driver DSN or a mysql:// URL; throws invalid_request. */
export function parseMySqlConnection(template: string, creds: RootCredentials): ConnectionTarget {
  const trimmed = template.trim();
  if (/^(mysql|mariadb):\/\//i.test(trimmed)) {
    const { target, params } = parseUrl(trimmed, 3306);
    const out = applyCreds(target, creds);
    const tls = params.get('tls') ?? params.get('ssl');
    if (tls === 'true') out.tls = 'verify';
    else if (tls === 'skip-verify' || tls === 'preferred') out.tls = 'require';
    return out;
  }
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) throw invalid("expected user:password@tcp(host:port)/dbname");
  const head = trimmed.slice(0, slash);
  const tail = trimmed.slice(slash + 1);
  const at = head.lastIndexOf('@');
  const userinfo = at >= 0 ? head.slice(0, at) : '';
  const netaddr = at >= 0 ? head.slice(at + 1) : head;
  const colon = userinfo.indexOf(':');
  const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
  const password = colon >= 0 ? userinfo.slice(colon + 1) : '';
  const q = tail.indexOf('?');
  const database = q >= 0 ? tail.slice(0, q) : tail;
  const params = new URLSearchParams(q >= 0 ? tail.slice(q + 1) : '');
  const t: ConnectionTarget = { host: '127.0.0.1', port: 3306, database, user, password };
  const nm = /^(\w*)(?:\((.*)\))?$/.exec(netaddr);
  if (!nm) throw invalid('bad network address');
  const net = nm[1] ?? '';
  const addr = nm[2] ?? '';
  if (net === 'unix') {
    t.socketPath = addr;
  } else if (addr !== '') {
    const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(addr);
    t.host = m?.[1] ?? addr;
    if (m?.[2] !== undefined) t.port = Number(m[2]);
  }
  const out = applyCreds(t, creds);
  const tls = params.get('tls');
  if (tls === 'true') out.tls = 'verify';
  else if (tls === 'skip-verify' || tls === 'preferred') out.tls = 'require';
  return out;
}

/**
 * connection_url as it may be shown: a literal password (not a `{{password}}` placeholder) is
 * replaced by `*****`.
 */
export function redactConnectionUrl(url: string): string {
  const isPlaceholder = (p: string): boolean => /^\{\{\s*password\s*\}\}$/.test(decode(p));
  // URL form: scheme://user:pass@…
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)([^@]*)@/i, (m, pre: string, pw: string) => (isPlaceholder(pw) ? m : `${pre}*****@`));
  // Go DSN form: user:pass@net(…)/…
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(out)) {
    const slash = out.lastIndexOf('/');
    const head = slash >= 0 ? out.slice(0, slash) : out;
    const at = head.lastIndexOf('@');
    const colon = head.indexOf(':');
    if (at > 0 && colon >= 0 && colon < at && !/=/.test(head)) {
      const pw = head.slice(colon + 1, at);
      if (!isPlaceholder(pw)) out = `${head.slice(0, colon + 1)}*****${out.slice(at)}`;
    }
  }
  // key=value form
  out = out.replace(/(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)/gi, (m, pre: string, pw: string) => (isPlaceholder(pw.replace(/^'|'$/g, '')) ? m : `${pre}*****`));
  return out;
}
