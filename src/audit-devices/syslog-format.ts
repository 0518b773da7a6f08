// Syslog message formats: RFC 3164 for the local daemon (what syslog(3) writes to /dev/log) and
// RFC 5424 for a network listener. Severity is always "info", as Vault's device logs.

import { invalidRequest } from '../shared/index.js';

const FACILITIES: Readonly<Record<string, number>> = {
  KERN: 0, USER: 1, MAIL: 2, DAEMON: 3, AUTH: 4, SYSLOG: 5, LPR: 6, NEWS: 7, UUCP: 8, CRON: 9,
  AUTHPRIV: 10, FTP: 11, LOCAL0: 16, LOCAL1: 17, LOCAL2: 18, LOCAL3: 19, LOCAL4: 20, LOCAL5: 21,
  LOCAL6: 22, LOCAL7: 23,
};
const SEVERITY_INFO = 6;

/** The PRI value for `facility` (a name such as "AUTH" or "local0") at severity info; throws invalid_request for unknown names. */
export function syslogPriority(facility: string): number {
  const code = FACILITIES[facility.toUpperCase()];
  if (code === undefined) throw invalidRequest(`invalid syslog facility "${facility}": expected one of ${Object.keys(FACILITIES).join(', ')}`);
  return code * 8 + SEVERITY_INFO;
}

/** Checks a tag is one printable word (it becomes the RFC 5424 APP-NAME); throws invalid_request otherwise. */
export function checkSyslogTag(tag: string): string {
  if (!/^[\x21-\x7e]{1,48}$/.test(tag)) throw invalidRequest(`invalid syslog tag "${tag}": expected 1-48 printable characters without spaces`);
  return tag;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** `<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG` with the local time, as the local daemon expects. */
export function formatRfc3164(pri: number, at: Date, tag: string, pid: number, msg: string): string {
  const stamp = `${MONTHS[at.getMonth()] ?? 'Jan'} ${String(at.getDate()).padStart(2, ' ')} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
  return `<${pri}>${stamp} ${tag}[${pid}]: ${msg}`;
}

/** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID - - MSG` (no MSGID, no structured data). */
export function formatRfc5424(pri: number, at: Date, hostname: string, tag: string, pid: number, msg: string): string {
  const host = /^[\x21-\x7e]{1,255}$/.test(hostname) ? hostname : '-';
  return `<${pri}>1 ${at.toISOString()} ${host} ${tag} ${pid} - - ${msg}`;
}
