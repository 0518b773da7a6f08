// Go static types as the template engine needs them: for argument checking (validateType), `%T`,
// and the type names that appear in Go's error messages ("wrong type for value; expected string").

export type GoType =
  | { readonly kind: 'interface' }
  | { readonly kind: 'reflectValue' }
  | { readonly kind: 'string' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'int' | 'int64' | 'int32' }
  | { readonly kind: 'uint8' | 'uint64' }
  | { readonly kind: 'float64' }
  | { readonly kind: 'jsonNumber' }
  | { readonly kind: 'slice'; readonly elem: GoType }
  | { readonly kind: 'map'; readonly elem: GoType; readonly ifaceKeys?: true }
  | { readonly kind: 'chan'; readonly elem: GoType }
  | { readonly kind: 'pointer'; readonly name: string }
  | { readonly kind: 'func'; readonly signature: string };

export const T = {
  iface: { kind: 'interface' },
  reflectValue: { kind: 'reflectValue' },
  string: { kind: 'string' },
  bool: { kind: 'bool' },
  int: { kind: 'int' },
  int64: { kind: 'int64' },
  uint64: { kind: 'uint64' },
  float64: { kind: 'float64' },
  stringSlice: { kind: 'slice', elem: { kind: 'string' } },
  ifaceSlice: { kind: 'slice', elem: { kind: 'interface' } },
  ifaceMap: { kind: 'map', elem: { kind: 'interface' } },
  stringMap: { kind: 'map', elem: { kind: 'string' } },
} as const satisfies Record<string, GoType>;

/** Go's spelling of a type, as reflect.Type.String() prints it. */
export function typeString(t: GoType): string {
  switch (t.kind) {
    case 'interface':
      return 'interface {}';
    case 'reflectValue':
      return 'reflect.Value';
    case 'jsonNumber':
      return 'json.Number';
    case 'slice':
      return `[]${typeString(t.elem)}`;
    case 'map':
      return `map[${t.ifaceKeys === true ? 'interface {}' : 'string'}]${typeString(t.elem)}`;
    case 'chan':
      return `<-chan ${typeString(t.elem)}`;
    case 'pointer':
      return `*${t.name}`;
    case 'func':
      return t.signature;
    default:
      return t.kind;
  }
}

/** Type identity (Go's assignability for the types modelled here, which are never named aliases). */
export function sameType(a: GoType, b: GoType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'map':
      return a.ifaceKeys === (b as typeof a).ifaceKeys && sameType(a.elem, (b as typeof a).elem);
    case 'slice':
    case 'chan':
      return sameType(a.elem, (b as typeof a).elem);
    case 'pointer':
      return a.name === (b as typeof a).name;
    case 'func':
      return a.signature === (b as typeof a).signature;
    default:
      return true;
  }
}

/** Whether Go allows nil for this type (reflect.Value counts: its zero is the invalid value). */
export function canBeNil(t: GoType): boolean {
  return ['interface', 'reflectValue', 'slice', 'map', 'chan', 'pointer', 'func'].includes(t.kind);
}
