// Specification of formatHcl, the canonical printer behind `coffer policy fmt`.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hclToPlain, HclSyntaxError, parseHcl } from '../../shared/index.js';
import { formatHcl } from './hcl-format.js';

/**
 * Formats, and checks the result formats to itself and (unless the shape legitimately changes, as
 * JSON's `path = {...}` becoming `path "x" {...}` stanzas) decodes to the same data.
 */
function fmt(text: string, sameShape = true): string {
  const out = formatHcl(text);
  if (sameShape) assert.deepEqual(hclToPlain(parseHcl(out)), hclToPlain(parseHcl(text)), 'formatting changed the meaning');
  assert.equal(formatHcl(out), out, 'formatting is not idempotent');
  return out;
}

describe('formatHcl', () => {
  it('prints each path stanza on its own lines with two-space indents and a blank line between stanzas', () => {
    const out = fmt('path "secret/*" {capabilities=["read","list"]}\npath "sys/mounts" { capabilities = [ "read" ] }');
    assert.equal(out, 'path "secret/*" {\n  capabilities = ["read", "list"]\n}\n\npath "sys/mounts" {\n  capabilities = ["read"]\n}\n');
  });

  it('keeps the other attributes, aligning = in runs of one-line attributes', () => {
    const out = fmt('path "a" {\ncapabilities = ["update"]\nmin_wrapping_ttl="1s"\n  max_wrapping_ttl   = "90s"\n}\n');
    assert.equal(
      out,
      'path "a" {\n  capabilities     = ["update"]\n  min_wrapping_ttl = "1s"\n  max_wrapping_ttl = "90s"\n}\n',
    );
  });

  it('prints object values such as allowed_parameters one entry a line with quoted keys', () => {
    const out = fmt('path "a" {\n  capabilities = ["create"]\n  allowed_parameters = { foo = [], "*" = ["x", "y"] }\n  denied_parameters = {}\n}\n');
    assert.equal(
      out,
      'path "a" {\n  capabilities = ["create"]\n  allowed_parameters = {\n    "foo" = []\n    "*"   = ["x", "y"]\n  }\n  denied_parameters = {}\n}\n',
    );
  });

  it('keeps comments: lead, trailing, inside bodies and at the end of the file', () => {
    const src = [
      '# Team policy',
      '',
      'path "secret/*" { # note',
      '  capabilities = [',
      '    "read", // why read',
      '    "list"',
      '  ]',
      '  /* multi',
      '     line */',
      '  min_wrapping_ttl = "1s"',
      '  # last',
      '}',
      '# bye',
      '',
    ].join('\n');
    assert.equal(
      fmt(src),
      [
        '# Team policy',
        '',
        'path "secret/*" {',
        '  # note',
        '  capabilities = ["read", "list"] // why read',
        '  /* multi',
        '     line */',
        '  min_wrapping_ttl = "1s"',
        '  # last',
        '}',
        '# bye',
        '',
      ].join('\n'),
    );
  });

  it('keeps one blank line where the source had blank lines inside a stanza', () => {
    const out = fmt('path "a" {\n  capabilities = ["read"]\n\n\n\n  min_wrapping_ttl = "1s"\n}\n\n\n\npath "b" {}\n');
    assert.equal(out, 'path "a" {\n  capabilities = ["read"]\n\n  min_wrapping_ttl = "1s"\n}\n\npath "b" {}\n');
  });

  it('rewrites a JSON policy as HCL stanzas', () => {
    const out = fmt('{"path": {"secret/a": {"capabilities": ["read"]}, "secret/b": {"capabilities": ["deny"]}}}', false);
    assert.equal(out, 'path "secret/a" {\n  capabilities = ["read"]\n}\n\npath "secret/b" {\n  capabilities = ["deny"]\n}\n');
  });

  it('escapes strings and keeps heredocs, numbers, booleans and the source spelling of numbers', () => {
    const out = fmt('a = "q\\"uote\\\\ \\t"\nb = 0x1F\nc = true\nd = <<EOF\n  line one\nEOF\n');
    assert.equal(out, 'a = "q\\"uote\\\\ \\t"\nb = 0x1F\nc = true\nd = <<EOT\n  line one\nEOT\n');
  });

  it('copies ${...} template sequences as written, and picks a heredoc marker the text does not use', () => {
    assert.equal(fmt('k = "a${x["q"]}\\n"\n'), 'k = "a${x["q"]}\\n"\n');
    assert.equal(fmt('x = <<END\nEOT\nEND\n'), 'x = <<EOT1\nEOT\nEOT1\n');
  });

  it('leaves an empty file empty', () => {
    assert.equal(fmt(''), '');
    assert.equal(fmt('\n\n'), '');
  });

  it('prints lists that hold objects one item a line', () => {
    const out = fmt('rules = [{ a = 1 }, { b = 2 }]\n');
    assert.equal(out, 'rules = [\n  {\n    "a" = 1\n  },\n  {\n    "b" = 2\n  },\n]\n');
  });

  it('throws the parser\'s syntax error for invalid HCL', () => {
    assert.throws(() => formatHcl('path "a" {\n  capabilities = ["read"\n}\n', 'p.hcl'), (e) => e instanceof HclSyntaxError && e.message.startsWith('p.hcl:'));
  });
});
