// By-hand micro-benchmark (not a test): cost of Acl.check for a token with 50 policies holding
// 1,000 rules in total. Run after building: node <outDir>/src/core/acl/bench-acl.js

import { compileAcl, parsePolicy, type AclRequest, type Policy } from './index.js';

const POLICIES = 50;
const RULES_PER_POLICY = 20;

function buildPolicies(): Policy[] {
  const out: Policy[] = [];
  for (let p = 0; p < POLICIES; p++) {
    let text = '';
    for (let r = 0; r < RULES_PER_POLICY; r++) {
      const app = `app${p}-${r}`;
      switch (r % 5) {
        case 0:
          text += `path "secret/data/${app}/config" { capabilities = ["read", "update"] }\n`;
          break;
        case 1:
          text += `path "secret/data/${app}/*" { capabilities = ["read", "list"] }\n`;
          break;
        case 2:
          text += `path "kv/+/${app}/*" { capabilities = ["read"] }\n`;
          break;
        case 3:
          text += `path "transit/encrypt/${app}" {\n capabilities = ["update"]\n allowed_parameters = { "plaintext" = [], "context" = ["ctx-*"] }\n}\n`;
          break;
        default:
          text += `path "db/creds/${app}-*" { capabilities = ["read"] }\n`;
      }
    }
    // Shared patterns merged across every policy.
    text += 'path "sys/*" { capabilities = ["deny"] }\npath "auth/token/lookup-self" { capabilities = ["read"] }\n';
    out.push(parsePolicy(`policy-${p}`, text));
  }
  return out;
}

const policies = buildPolicies();
const t0 = process.hrtime.bigint();
const acl = compileAcl(policies);
const compileUs = Number(process.hrtime.bigint() - t0) / 1e3;
for (let i = 0; i < 20; i++) compileAcl(policies);
const t0w = process.hrtime.bigint();
for (let i = 0; i < 20; i++) compileAcl(policies);
const compileWarmUs = Number(process.hrtime.bigint() - t0w) / 20e3;

const requests: AclRequest[] = [
  { path: 'secret/data/app25-0/config', operation: 'read', sudoRequired: false }, // literal hit
  { path: 'secret/data/app49-1/deep/key', operation: 'read', sudoRequired: false }, // glob hit
  { path: 'kv/data/app7-2/x', operation: 'read', sudoRequired: false }, // + hit
  { path: 'transit/encrypt/app3-3', operation: 'update', sudoRequired: false, data: { plaintext: 'aGVsbG8=', context: 'ctx-1' } },
  { path: 'db/creds/app11-4-readonly', operation: 'read', sudoRequired: false }, // partial-segment glob hit
  { path: 'secret/data/unknown/thing', operation: 'read', sudoRequired: false }, // miss
  { path: 'sys/mounts', operation: 'read', sudoRequired: false }, // deny
  { path: 'secret/data/app1-1/', operation: 'list', sudoRequired: false }, // list
];

function run(n: number): number {
  let allowed = 0;
  for (let i = 0; i < n; i++) {
    const r = requests[i % requests.length];
    if (r !== undefined && acl.check(r).kind === 'allow') allowed++;
  }
  return allowed;
}

run(200_000); // warm up
const N = 2_000_000;
const t1 = process.hrtime.bigint();
const allowed = run(N);
const ns = Number(process.hrtime.bigint() - t1) / N;

const perKind: string[] = [];
for (const r of requests) {
  const M = 200_000;
  const s = process.hrtime.bigint();
  for (let i = 0; i < M; i++) acl.check(r);
  perKind.push(`  ${(Number(process.hrtime.bigint() - s) / M).toFixed(0).padStart(5)} ns  ${r.operation} ${r.path} → ${JSON.stringify(acl.check(r))}`);
}

console.log(`policies=${POLICIES} rules=${POLICIES * (RULES_PER_POLICY + 2)} compile=${compileUs.toFixed(0)} µs cold, ${compileWarmUs.toFixed(0)} µs warm`);
console.log(`check: ${ns.toFixed(0)} ns/op average over ${N} mixed requests (${allowed} allowed)`);
console.log(perKind.join('\n'));
