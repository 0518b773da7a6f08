// A minimal YAML emitter for `-format=yaml`: block mappings and sequences, strings quoted with
// JSON syntax whenever a plain scalar could be misread.

export function toYaml(value: unknown): string {
  const out = emit(value, 0);
  return out.endsWith('\n') ? out : out + '\n';
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  const plain =
    /^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$/.test(s) &&
    !/ $/.test(s) &&
    !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(s) &&
    !/^[-+]?(\d|\.\d)/.test(s);
  return plain ? s : JSON.stringify(s);
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

function emit(v: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return v
      .map((item) => (isContainer(item) ? `${pad}-\n${emit(item, indent + 2)}` : `${pad}- ${emitInline(item)}\n`))
      .join('');
  }
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 0) return '{}';
    return keys
      .map((k) => {
        const item = o[k];
        return isContainer(item) ? `${pad}${scalar(k)}:\n${emit(item, indent + 2)}` : `${pad}${scalar(k)}: ${emitInline(item)}\n`;
      })
      .join('');
  }
  return scalar(v);
}

function emitInline(v: unknown): string {
  if (Array.isArray(v)) return '[]';
  if (typeof v === 'object' && v !== null) return '{}';
  return scalar(v);
}
