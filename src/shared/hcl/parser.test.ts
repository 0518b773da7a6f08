// Specification of the HCL syntax the parser accepts, one feature per case.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError } from '../errors.js';
import { HclSyntaxError, hclToPlain, parseHcl } from './index.js';
import type { HclString } from './index.js';

const plain = (text: string): unknown => hclToPlain(parseHcl(text, 'test.hcl'));

void describe('parseHcl: syntax features', () => {
  const cases: [string, string, unknown][] = [
    ['an empty document', '', {}],
    ['a document of only comments', '# a\n// b\n/* c\n d */\n', {}],
    ['# line comments', 'a = 1 # trailing\n# whole line\nb = 2', { a: 1, b: 2 }],
    ['// line comments', 'a = 1 // trailing\nb = 2', { a: 1, b: 2 }],
    ['/* block comments */ across lines and inline', 'a /* x */ = /* y\n z */ 1', { a: 1 }],
    ['a quoted attribute name', '"my key" = "v"', { 'my key': 'v' }],
    ['identifiers with dashes, dots and underscores', 'a-b.c_d = true', { 'a-b.c_d': true }],
    ['several attributes on one line', 'a = 1 b = 2', { a: 1, b: 2 }],
    ['string escapes', String.raw`s = "a\nb\tc\"d\\e\u00e9\/"`, { s: 'a\nb\tc"d\\eé/' }],
    ['a \\U escape for an astral character', String.raw`s = "\U0001F600"`, { s: '😀' }],
    ['JSON surrogate pairs', String.raw`s = "\ud83d\ude00"`, { s: '😀' }],
    ['${...} kept as literal text', 's = "x-${var.a}-y"', { s: 'x-${var.a}-y' }],
    ['quotes and braces inside ${...}', 's = "${lookup(m, "k", "{}")}"', { s: '${lookup(m, "k", "{}")}' }],
    ['%{...} kept as literal text', 's = "%{ if a }b%{ endif }"', { s: '%{ if a }b%{ endif }' }],
    ['a heredoc', 's = <<EOF\nline 1\n  line 2\nEOF\n', { s: 'line 1\n  line 2\n' }],
    ['an indented heredoc <<-', 's = <<-EOT\n    a\n      b\n    EOT\n', { s: 'a\n  b\n' }],
    ['an empty heredoc', 's = <<EOF\nEOF', { s: '' }],
    ['a heredoc keeps quotes and escapes raw', 's = <<EOF\n"q" \\n\nEOF', { s: '"q" \\n\n' }],
    ['a heredoc with CRLF line ends', 's = <<EOF\r\nx\r\nEOF\r\n', { s: 'x\n' }],
    ['integers', 'a = 42', { a: 42 }],
    ['negative numbers', 'a = -7\nb = -1.5', { a: -7, b: -1.5 }],
    ['floats and exponents', 'a = 3.25\nb = 1e3\nc = 2.5E-1', { a: 3.25, b: 1000, c: 0.25 }],
    ['hex numbers', 'a = 0x1F\nb = -0xff', { a: 31, b: -255 }],
    ['booleans', 'a = true\nb = false', { a: true, b: false }],
    ['null', 'a = null', { a: null }],
    ['lists with trailing comma and newlines', 'a = [\n  "x",\n  "y",\n]', { a: ['x', 'y'] }],
    ['empty and nested lists', 'a = []\nb = [[1], [2, 3]]', { a: [], b: [[1], [2, 3]] }],
    ['objects with = and :', 'o = { k = 1, "k2": "v", k3 = [true] }', { o: { k: 1, k2: 'v', k3: [true] } }],
    ['objects across lines without commas', 'o = {\n  a = 1\n  b = 2\n}', { o: { a: 1, b: 2 } }],
    ['lists of objects', 'a = [{ x = 1 }, { x = 2 }]', { a: [{ x: 1 }, { x: 2 }] }],
    ['a block without labels', 'ui {\n  enabled = true\n}', { ui: { enabled: true } }],
    ['a block with one label', 'storage "file" { path = "/x" }', { storage: { file: { path: '/x' } } }],
    ['a block with two labels', 'a "b" "c" { d = 1 }', { a: { b: { c: { d: 1 } } } }],
    ['an unquoted block label', 'listener tcp { address = ":1" }', { listener: { tcp: { address: ':1' } } }],
    ['nested blocks', 'a { b "x" { c = 1 } }', { a: { b: { x: { c: 1 } } } }],
    ['an empty block', 'seal "shamir" {}', { seal: { shamir: {} } }],
    [
      'repeated blocks as an array in source order',
      'listener "tcp" { address = "a" }\nlistener "tcp" { address = "b" }',
      { listener: [{ tcp: { address: 'a' } }, { tcp: { address: 'b' } }] },
    ],
    ['a repeated scalar attribute keeps the last', 'a = 1\na = 2', { a: 2 }],
    ['type = { } as an object value', 'telemetry = { statsd_address = "x" }', { telemetry: { statsd_address: 'x' } }],
    ['a JSON document', '{"a": {"b": [1, 2.5, "x", true, null]}, "c": {}}', { a: { b: [1, 2.5, 'x', true, null] }, c: {} }],
    ['a JSON document with a BOM and leading blank lines', '\uFEFF\n\n { "a": 1 }\n', { a: 1 }],
    ['__proto__ as plain data', '"__proto__" = { polluted = true }', JSON.parse('{"__proto__":{"polluted":true}}')],
  ];
  for (const [name, text, want] of cases) {
    void it(`reads ${name}`, () => {
      assert.deepEqual(plain(text), want);
    });
  }
});

void describe('parseHcl: positions', () => {
  void it('records 1-based line and column on attributes, blocks and values', () => {
    const body = parseHcl('# c\nstorage "file" {\n  path = "/x"\n}\n\n  ttl = [1, { k = true }]\n', 'p.hcl');
    const block = body.blocks[0]!;
    assert.deepEqual(block.pos, { line: 2, column: 1 });
    assert.deepEqual(block.labels, ['file']);
    const path = block.body.attributes[0]!;
    assert.deepEqual(path.pos, { line: 3, column: 3 });
    assert.deepEqual(path.value.pos, { line: 3, column: 10 });
    const ttl = body.attributes[0]!;
    assert.deepEqual(ttl.pos, { line: 6, column: 3 });
    assert.equal(ttl.value.kind, 'list');
    if (ttl.value.kind !== 'list') return;
    assert.deepEqual(ttl.value.items[1]!.pos, { line: 6, column: 13 });
    const obj = ttl.value.items[1]!;
    assert.equal(obj.kind, 'object');
    if (obj.kind === 'object') assert.deepEqual(obj.body.attributes[0]!.value.pos, { line: 6, column: 19 });
  });

  void it('keeps attributes and blocks apart, each in source order', () => {
    const body = parseHcl('b {}\na = 1\nb "x" {}\nc = 2');
    assert.deepEqual(body.attributes.map((a) => a.key), ['a', 'c']);
    assert.deepEqual(body.blocks.map((b) => [b.type, b.labels]), [['b', []], ['b', ['x']]]);
  });

  void it('marks heredoc strings and keeps the raw spelling of numbers', () => {
    const body = parseHcl('h = <<EOF\nx\nEOF\nn = 0x10');
    const h = body.attributes[0]!.value as HclString;
    assert.equal(h.heredoc, true);
    assert.deepEqual(body.attributes[1]!.value, { kind: 'number', value: 16, raw: '0x10', pos: { line: 4, column: 5 } });
  });
});

void describe('parseHcl: syntax errors', () => {
  const cases: [string, string, string][] = [
    ['a missing value', 'a =\n}', "t.hcl:2:1: expected a value, found '}'"],
    ['a value at end of file', 'a = ', 't.hcl:1:5: expected a value, found end of file'],
    ['an unquoted string value', 'a = b', 't.hcl:1:5: expected a value, found identifier "b" (strings must be quoted)'],
    ['a colon in a block body', 'a: 1', `t.hcl:1:2: expected '=' or '{' after "a", found ':'`],
    ['an unclosed block', 'x {\n  a = 1\n', "t.hcl:3:1: expected '}' to close block x opened at 1:3, found end of file"],
    ['an unclosed labelled block', 'path "a/*" {\n', `t.hcl:2:1: expected '}' to close block path "a/*" opened at 1:12, found end of file`],
    ['a stray closing brace', 'a = 1\n}', "t.hcl:2:1: unexpected '}'; no block is open here"],
    ['a label without a body', 'path "x"\na = 1', `t.hcl:2:1: expected '{' or another label after path "x", found identifier "a"`],
    ['a missing comma in a list', 'a = [1 2]', "t.hcl:1:8: expected ',' or ']' in list, found number 2"],
    ['an unclosed list', 'a = [1,\n', "t.hcl:2:1: expected ']' to close the list opened at 1:5, found end of file"],
    ['an unclosed object', 'a = { b = 1', "t.hcl:1:12: expected '}' to close object opened at 1:5, found end of file"],
    ['an unterminated string', 'a = "abc', `t.hcl:1:5: unterminated string; expected a closing '"'`],
    ['a newline in a string', 'a = "ab\nc"', `t.hcl:1:8: newline in string; expected a closing '"'`],
    ['an unknown escape', String.raw`a = "\q"`, String.raw`t.hcl:1:6: invalid escape "\q" in string`],
    ['a short \\u escape', String.raw`a = "\u12"`, String.raw`t.hcl:1:6: invalid escape "\u12"; expected 4 hex digits`],
    ['an unterminated block comment', 'a = 1\n/* x', 't.hcl:2:1: unterminated block comment; expected "*/"'],
    ['an unterminated heredoc', 'a = <<EOF\nx\n', 't.hcl:1:5: unterminated heredoc; expected a line "EOF"'],
    ['text after a heredoc marker', 'a = <<EOF x\nEOF', 't.hcl:1:11: expected a newline after heredoc marker "EOF"'],
    ['a heredoc without a marker', 'a = <<\nEOF', 't.hcl:1:7: expected a heredoc marker such as EOF after "<<"'],
    ['a number with a unit', 'ttl = 10s', 't.hcl:1:7: invalid number "10s"'],
    ['an unexpected character', 'a = 1\n  @', 't.hcl:2:3: unexpected character "@"'],
    ['a number as a key', '1 = 2', 't.hcl:1:1: expected an attribute name or block type, found number 1'],
    ['trailing text after a JSON document', '{"a": 1} x', 't.hcl:1:10: expected end of file after the top-level object, found identifier "x"'],
  ];
  for (const [name, text, message] of cases) {
    void it(`reports ${name} with file, line and column`, () => {
      assert.throws(
        () => parseHcl(text, 't.hcl'),
        (e: unknown) => {
          assert.ok(e instanceof HclSyntaxError);
          assert.ok(e instanceof CofferError);
          assert.equal(e.code, 'invalid_request');
          assert.equal(e.message, message);
          return true;
        },
      );
    });
  }

  void it('rejects nesting deeper than 100 levels with a syntax error, not a stack overflow', () => {
    assert.throws(() => parseHcl(`a = ${'['.repeat(100000)}`, 't.hcl'), /t\.hcl:1:105: nesting deeper than 100 levels/);
    assert.throws(() => parseHcl('{"a":'.repeat(5000), 't.json'), (e: unknown) => e instanceof HclSyntaxError);
    assert.deepEqual(plain(`a = ${'['.repeat(100)}${']'.repeat(100)}`), { a: JSON.parse('['.repeat(100) + ']'.repeat(100)) as unknown });
  });

  void it('exposes the file, line, column and reason separately', () => {
    try {
      parseHcl('\n\n   a = ]', 'policy.hcl');
      assert.fail('expected a syntax error');
    } catch (e) {
      assert.ok(e instanceof HclSyntaxError);
      assert.equal(e.fileName, 'policy.hcl');
      assert.equal(e.line, 3);
      assert.equal(e.column, 8);
      assert.equal(e.reason, "expected a value, found ']'");
    }
  });

  void it('names the file <input> when none is given', () => {
    assert.throws(() => parseHcl('a ='), /^HclSyntaxError: <input>:1:4: /);
  });
});
