// shared/hcl: a small HCL (and JSON) parser for Vault server config, ACL policies and Agent config.
// This file is the folder's one public door.
export type { HclAttribute, HclBlock, HclBody, HclBool, HclList, HclNull, HclNumber, HclObject, HclPos, HclString, HclValue } from './ast.js';
export { HclSyntaxError } from './syntax-error.js';
export { parseHcl } from './parser.js';
export { hclToPlain, hclValueToPlain, type HclPlain, type HclPlainObject } from './to-plain.js';
