// The HCL syntax tree: a body of attributes and blocks, values as a tagged union.
// Every node carries the 1-based line and column where it starts.

export interface HclPos {
  readonly line: number;
  readonly column: number;
}

export interface HclBody {
  readonly attributes: readonly HclAttribute[];
  readonly blocks: readonly HclBlock[];
  readonly pos: HclPos;
}

/** `key = value` (or `"key" = value`, or `key: value` inside an object value). */
export interface HclAttribute {
  readonly key: string;
  readonly value: HclValue;
  readonly pos: HclPos;
}

/** `type "label1" "label2" { body }`; labels may be empty. */
export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: HclBody;
  readonly pos: HclPos;
}

export interface HclString {
  readonly kind: 'string';
  /** Escapes decoded; `${...}` and `%{...}` kept as literal text. */
  readonly value: string;
  readonly heredoc: boolean;
  readonly pos: HclPos;
}

export interface HclNumber {
  readonly kind: 'number';
  readonly value: number;
  /** The source spelling, e.g. `0x1F`, `-2.5e3`. */
  readonly raw: string;
  readonly pos: HclPos;
}

export interface HclBool {
  readonly kind: 'bool';
  readonly value: boolean;
  readonly pos: HclPos;
}

export interface HclNull {
  readonly kind: 'null';
  readonly pos: HclPos;
}

export interface HclList {
  readonly kind: 'list';
  readonly items: readonly HclValue[];
  readonly pos: HclPos;
}

/** `{ k = v, "k2": v2 }`; may also hold nested blocks, as HCL1 allows. */
export interface HclObject {
  readonly kind: 'object';
  readonly body: HclBody;
  readonly pos: HclPos;
}

export type HclValue = HclString | HclNumber | HclBool | HclNull | HclList | HclObject;
