// auth/outbound: the HTTP client auth methods use to reach their peers.
export type { OutboundRequest, OutboundResponse } from './fetch-json.js';
export { fetchJson } from './fetch-json.js';
