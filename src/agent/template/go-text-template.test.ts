// Go text/template semantics, case by case. Expected outputs and error texts in the two tables
// were produced by Go's own text/template (data decoded with json.Decoder.UseNumber, missingkey=zero,
// as consul-template runs it); the hand-written cases cover features newer than that reference.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJson } from './json-decode.js';
import type { GoValue, RenderOptions, TemplateDataSource } from './index.js';
import { GoFunc, GoMap, parseTemplate, renderTemplate, TemplateError } from './index.js';
import { T } from './go-types.js';

interface LanguageCase {
  readonly name: string;
  readonly template: string;
  readonly expected: string;
}
interface ErrorCase {
  readonly name: string;
  readonly template: string;
  readonly error: string;
}

const LANGUAGE_CASES: readonly LanguageCase[] = [
  { name: "prints text unchanged", template: "plain text", expected: "plain text" },
  { name: "prints a field of the root data", template: "{{ .s }}", expected: "str" },
  { name: "prints maps as map[k:v] with sorted keys and lists as [a b]", template: "{{ .m }}", expected: "map[a:[1 x <nil>] b:1 c:1.5 e:[] o:map[]]" },
  { name: "prints <no value> for a missing map key", template: "{{ .m.zz }}", expected: "<no value>" },
  { name: "prints json numbers exactly as their JSON text", template: "{{ .m.b }} {{ .m.c }} {{ .big }}", expected: "1 1.5 12345678901234567890" },
  { name: "prints nil inside a list as <nil>", template: "{{ .m.a }}", expected: "[1 x <nil>]" },
  { name: "prints booleans, strings and raw strings", template: "{{ true }} {{ false }} {{ \"s\\tq\" }} {{ `raw\\n` }}", expected: "true false s\tq raw\\n" },
  { name: "prints Go number literals as int or float64", template: "{{ 0x1F }} {{ 1_000 }} {{ 0o17 }} {{ 0b101 }} {{ 017 }} {{ 'a' }} {{ -3 }} {{ +4 }} {{ 1.0 }} {{ 1e6 }} {{ 123456.0 }} {{ 1.5e-7 }} {{ .5 }} {{ 0x1p-2 }}", expected: "31 1000 15 5 15 97 -3 4 1 1e+06 123456 1.5e-07 0.5 0.25" },
  { name: "evaluates parenthesized pipelines and chains fields on their result", template: "{{ (index .m.a 1) }}|{{ (.m).b }}", expected: "x|1" },
  { name: "passes the piped value as the last argument", template: "{{ .m.b | printf \"%s-%s\" \"a\" }}|{{ 3 | printf \"%d %d\" 1 }}", expected: "a-1|1 3" },
  { name: "chains several pipeline stages", template: "{{ .m.b | printf \"%v\" | printf \"%q\" }}", expected: "\"1\"" },
  { name: "refers to the root data with $", template: "{{ with .m }}{{ $.s }}{{ end }}", expected: "str" },
  { name: "declares and reassigns variables", template: "{{ $x := 5 }}{{ $x = 6 }}{{ $x }}{{ $x := 7 }}{{ $x }}", expected: "67" },
  { name: "assigns to an outer variable from inside a block", template: "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}", expected: "2" },
  { name: "assigns each range element to an outer variable (the last is nil)", template: "{{ $x := \"outer\" }}{{ range .m.a }}{{ $x = . }}{{ end }}{{ $x }}", expected: "<no value>" },
  { name: "does not print actions that declare variables", template: "a{{ $x := 1 }}b", expected: "ab" },
  { name: "chooses the first true branch of if / else if / else", template: "{{ if 0 }}a{{ else if \"\" }}b{{ else if .m.a }}c{{ else }}d{{ end }}", expected: "c" },
  { name: "treats false, 0, nil and empty values as false", template: "{{ if false }}1{{ end }}{{ if 0 }}2{{ end }}{{ if 0.0 }}3{{ end }}{{ if \"\" }}4{{ end }}{{ if .m.e }}5{{ end }}{{ if .m.o }}6{{ end }}{{ if .m.zz }}7{{ end }}|{{ if .m.b }}json-number-is-a-string{{ end }}", expected: "|json-number-is-a-string" },
  { name: "rebinds dot in with and runs else when empty", template: "{{ with .m.zz }}a{{ else }}b{{ end }}|{{ with .m.b }}{{ . }}{{ else }}n{{ end }}|{{ with $x := .m.c }}{{ $x }}{{ end }}", expected: "b|1|1.5" },
  { name: "ranges over a list with index and element", template: "{{ range $i, $e := .m.a }}{{ $i }}={{ $e }};{{ end }}", expected: "0=1;1=x;2=<no value>;" },
  { name: "ranges over a map in sorted key order", template: "{{ range $k, $v := .m }}{{ $k }}={{ $v }} {{ end }}|{{ range .m }}{{ . }},{{ end }}", expected: "a=[1 x <nil>] b=1 c=1.5 e=[] o=map[] |[1 x <nil>],1,1.5,[],map[]," },
  { name: "runs range else for empty or missing collections", template: "{{ range .m.zz }}x{{ else }}empty{{ end }}|{{ range .m.e }}x{{ else }}none{{ end }}", expected: "empty|none" },
  { name: "sets a single range variable to the element", template: "{{ range $e := .list }}{{ $e }}{{ end }}", expected: "ba" },
  { name: "stops at break and skips at continue", template: "{{ range .m.a }}{{ if eq (printf \"%v\" .) \"x\" }}{{ break }}{{ end }}{{ . }}{{ end }}|{{ range $i, $e := .m.a }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $e }}{{ end }}", expected: "1|1<no value>" },
  { name: "invokes defined templates with a pipeline as dot", template: "{{ define \"x\" }}X{{ . }}{{ end }}{{ template \"x\" 5 }}|{{ template \"x\" }}", expected: "X5|X<no value>" },
  { name: "defines and runs a block in place", template: "{{ block \"b\" .m.b }}<{{ . }}>{{ end }}", expected: "<1>" },
  { name: "lets templates call each other and recurse", template: "{{ define \"a\" }}A{{ template \"b\" . }}{{ end }}{{ define \"b\" }}B{{ . }}{{ end }}{{ template \"a\" \"z\" }}|{{ define \"r\" }}{{ if . }}{{ . }}{{ template \"r\" (slice . 1) }}{{ end }}{{ end }}{{ template \"r\" \"abc\" }}", expected: "ABz|abcbcc" },
  { name: "accepts a definition after its use", template: "{{ template \"x\" . }}{{ define \"x\" }}[{{ .s }}]{{ end }}", expected: "[str]" },
  { name: "drops comments, with trim markers removing surrounding space", template: "a  {{- /* c */}}  b|a  {{/* c */ -}}  b|{{- /* only */ -}}", expected: "a  b|a  b|" },
  { name: "trims whitespace, tabs and newlines next to {{- and -}}", template: "a {{- \"x\" }} b{{ \"y\" -}}\t\n  c", expected: "ax byc" },
  { name: "reads {{-3}} as the number -3 but {{- 3}} as a trim", template: "{{-3}}|{{- 3 }}", expected: "-3|3" },
  { name: "and/or return the deciding operand", template: "{{ and 1 0 2 }}|{{ and 1 2 }}|{{ or 0 \"\" \"x\" }}|{{ or 0 \"\" }}|{{ .m.zz | or \"dflt\" }}", expected: "0|2|x||dflt" },
  { name: "and/or short-circuit", template: "{{ or 1 .m.b.nosuchfield }}|{{ and 0 .m.b.nosuchfield }}", expected: "1|0" },
  { name: "not negates truthiness", template: "{{ not 0 }}{{ not 1 }}{{ not \"\" }}{{ not .m }}{{ not .m.zz }}", expected: "truefalsetruefalsetrue" },
  { name: "len counts bytes of strings and entries of lists and maps", template: "{{ len .m }} {{ len .m.a }} {{ len \"h\u00e9llo\" }} {{ len .m.b }}", expected: "5 3 6 1" },
  { name: "index looks up map keys and list positions", template: "{{ index . \"m\" \"a\" 1 }}|{{ index .m \"zz\" }}|{{ index \"abc\" 1 }}|{{ index .dash \"db-pass\" }}", expected: "x|<no value>|98|pw" },
  { name: "slice takes sub-lists and substrings", template: "{{ slice .m.a 1 }}|{{ slice .m.a 0 1 2 }}|{{ slice .m.a }}|{{ slice \"abcdef\" 1 3 }}|{{ slice .big 2 5 }}", expected: "[x <nil>]|[1]|[1 x <nil>]|bc|345" },
  { name: "print adds spaces only between non-string operands", template: "{{ print \"a\" \"b\" 1 2 \"c\" nil 3 }}|{{ print 1 2 \"a\" 3 \"b\" \"c\" }}|{{ print .m.b .m.b }}|{{ print 1.5 2 }}", expected: "ab1 2c<nil> 3|1 2a3bc|11|1.5 2" },
  { name: "println separates every operand and ends with a newline", template: "{{ println 1 \"a\" }}|{{ println }}", expected: "1 a\n|\n" },
  { name: "html escapes markup characters", template: "{{ html \"<a href='x'>&\\\"\" }}|{{ html .m.zz }}|{{ html 1 2 \"x\" }}", expected: "&lt;a href=&#39;x&#39;&gt;&amp;&#34;|&lt;no value&gt;|1 2x" },
  { name: "js escapes quotes, angle brackets and control characters", template: "{{ js \"a'b\\\"c<d>&e=f\\u0001g\\u2028h\" }}|{{ js `</script>` }}", expected: "a\\'b\\\"c\\u003Cd\\u003E\\u0026e\\u003Df\\u0001g\\u2028h|\\u003C/script\\u003E" },
  { name: "urlquery query-escapes its operands", template: "{{ urlquery \"a b&c=d/\u00e9~\" }}|{{ urlquery \"?x=1\" 3 }}", expected: "a+b%26c%3Dd%2F%C3%A9~|%3Fx%3D13" },
  { name: "eq is true when the first operand equals any other", template: "{{ eq 1 1 2 }}{{ eq 2 1 2 }}{{ eq \"a\" \"b\" }}{{ eq true true }}{{ eq .m.b .m.b }}{{ eq .m.b \"1\" }}{{ eq \"a\" \"b\" \"a\" }}{{ eq nil nil }}", expected: "truetruefalsetruetruetruetruetrue" },
  { name: "ne, lt, le, gt and ge compare basic values", template: "{{ ne 1 2 }}{{ ne \"a\" \"a\" }}{{ lt \"a\" \"b\" }}{{ lt 1 2 }}{{ lt 2.5 1.5 }}{{ le 2 2 }}{{ gt 1.5 2.5 }}{{ ge \"b\" \"a\" }}", expected: "truefalsetruetruefalsetruefalsetrue" },
  { name: "printf formats with Go verbs", template: "{{ printf \"%05s|%-5d|%+d|%x|%X|%o|%#x|%q|%c|%U|%e|%.3g|%g|%8.3f|%t|%v|%d\" \"ab\" 3 5 255 255 8 255 'a' 65 65 1234.5678 1.5 0.00001 3.14159 true nil \"s\" }}", expected: "000ab|3    |+5|ff|FF|10|0xff|'a'|A|U+0041|1.234568e+03|1.5|1e-05|   3.142|true|<nil>|%!d(string=s)" },
];
const EXEC_ERROR_CASES: readonly ErrorCase[] = [
  { name: "field access on a nil map value is a nil pointer error", template: "{{ .m.zz.y }}", error: "template: t:1:5: executing \"t\" at <.m.zz.y>: nil pointer evaluating interface {}.y" },
  { name: "field access on a non-map value cannot be evaluated", template: "x\n {{ .m.a.b }}", error: "template: t:2:6: executing \"t\" at <.m.a.b>: can't evaluate field b in type interface {}" },
  { name: "arguments to a non-function are rejected", template: "{{ \"a\" 1 }}", error: "template: t:1:3: executing \"t\" at <\"a\">: can't give argument to non-function \"a\"" },
  { name: "comparing an int with a float is an error", template: "{{ eq 1 1.0 }}", error: "template: t:1:3: executing \"t\" at <eq 1 1.0>: error calling eq: incompatible types for comparison" },
  { name: "comparing a json number with an int is an error", template: "{{ eq .m.b 1 }}", error: "template: t:1:3: executing \"t\" at <eq .m.b 1>: error calling eq: incompatible types for comparison" },
  { name: "lt rejects booleans", template: "{{ lt true false }}", error: "template: t:1:3: executing \"t\" at <lt true false>: error calling lt: invalid type for comparison" },
  { name: "index out of range is an error", template: "{{ index .m.a 5 }}", error: "template: t:1:3: executing \"t\" at <index .m.a 5>: error calling index: index out of range: 5" },
  { name: "len of a missing value is an error", template: "{{ len .m.zz }}", error: "template: t:1:3: executing \"t\" at <len .m.zz>: error calling len: len of nil pointer" },
  { name: "len of a number is an error", template: "{{ len 3 }}", error: "template: t:1:3: executing \"t\" at <len 3>: error calling len: len of type int" },
  { name: "an undefined template is an error at execution", template: "{{ template \"x\" }}", error: "template: t:1:12: executing \"t\" at <{{template \"x\"}}>: template \"x\" not defined" },
  { name: "nil is not a command", template: "{{ nil }}", error: "template: t:1:3: executing \"t\" at <nil>: nil is not a command" },
  { name: "eq needs two operands", template: "{{ eq 1 }}", error: "template: t:1:3: executing \"t\" at <eq 1>: error calling eq: missing argument for comparison" },
  { name: "a map key field with arguments is an error", template: "{{ .m.b 1 }}", error: "template: t:1:5: executing \"t\" at <.m.b>: b is not a method but has arguments" },
  { name: "range cannot iterate over a string", template: "{{ range $x := \"abc\" }}{{ end }}", error: "template: t:1:15: executing \"t\" at <\"abc\">: range can't iterate over abc" },
  { name: "a function's wrong argument count is an error", template: "{{ and }}", error: "template: t:1:3: executing \"t\" at <and>: wrong number of args for and: want at least 1 got 0" },
  { name: "a string cannot be sliced with three indexes", template: "{{ slice \"hello\" 1 3 4 }}", error: "template: t:1:3: executing \"t\" at <slice \"hello\" 1 3 4>: error calling slice: cannot 3-index slice a string" },
  { name: "slice bounds must be ordered", template: "{{ slice .m.a 2 1 }}", error: "template: t:1:3: executing \"t\" at <slice .m.a 2 1>: error calling slice: invalid slice index: 2 > 1" },
  { name: "eq rejects comparing a map with a list", template: "{{ ne .m.o .list }}", error: "template: t:1:3: executing \"t\" at <ne .m.o .list>: error calling ne: non-comparable types map[]: map[string]interface {}, []interface {}: [b a]" },
  { name: "slice does not look inside interface-typed indexes", template: "{{ slice .s .m.b }}", error: "template: t:1:3: executing \"t\" at <slice .s .m.b>: error calling slice: cannot index slice/array with type interface {}" },
  { name: "slice rejects a nil index", template: "{{ slice .s nil }}", error: "template: t:1:3: executing \"t\" at <slice .s nil>: error calling slice: cannot index slice/array with nil" },
];
const CASE_DATA = "{\"m\":{\"b\":1,\"a\":[1,\"x\",null],\"c\":1.5,\"e\":[],\"o\":{}},\"s\":\"str\",\"list\":[\"b\",\"a\"],\"big\":12345678901234567890,\"dash\":{\"db-pass\":\"pw\"}}";

const noSource: TemplateDataSource = {
  secret: async () => null,
  list: async () => [],
};

async function render(text: string, opts: Partial<RenderOptions> = {}): Promise<string> {
  const t = parseTemplate(text, { name: 't' });
  const r = await renderTemplate(t, { source: noSource, data: decodeJson(CASE_DATA, { useNumber: true }), ...opts });
  return r.output;
}

describe('Go text/template language', () => {
  for (const c of LANGUAGE_CASES) {
    it(c.name, async () => {
      assert.equal(await render(c.template), c.expected);
    });
  }
});

describe('Go text/template execution errors', () => {
  for (const c of EXEC_ERROR_CASES) {
    it(c.name, async () => {
      await assert.rejects(render(c.template), (e: unknown) => {
        assert.ok(e instanceof TemplateError);
        assert.equal(e.kind, 'exec');
        assert.equal(e.message, c.error);
        return true;
      });
    });
  }
});

describe('Go text/template features of Go 1.18 and later', () => {
  it('takes the first matching branch of with / else with / else', async () => {
    const t = '{{ with .m.zz }}a{{ else with .m.e }}b{{ else with .s }}[{{ . }}]{{ else }}d{{ end }}';
    assert.equal(await render(t), '[str]');
    assert.equal(await render('{{ with .m.zz }}a{{ else with .m.e }}b{{ else }}d{{ end }}'), 'd');
  });

  it('ranges over an integer, binding the counter to dot', async () => {
    assert.equal(await render('{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}none{{ end }}'), '012|01|none');
  });

  it('refuses two range variables over an integer', async () => {
    await assert.rejects(render('{{ range $i, $e := 3 }}{{ end }}'), /can't use 3 to iterate over more than one variable/);
  });

  it('skips the else branch when a range ends with break', async () => {
    assert.equal(await render('{{ range .list }}{{ break }}{{ else }}empty{{ end }}done'), 'done');
  });

  it('assigns range variables with = to outer variables', async () => {
    assert.equal(await render('{{ $i := 0 }}{{ $e := "" }}{{ range $i, $e = .list }}{{ end }}{{ $i }}{{ $e }}'), '1a');
  });

  it('calls a function value with call, naming it in errors', async () => {
    const double = new GoFunc([T.int], undefined, T.int, (a) => (typeof a[0] === 'bigint' ? a[0] * 2n : 0n));
    const data = new GoMap(new Map<string, GoValue>([['f', double], ['n', 1n]]));
    assert.equal(await render('{{ call .f 21 }}', { data }), '42');
    await assert.rejects(render('{{ call .n 1 }}', { data }), /error calling call: non-function \.n of type int/);
    await assert.rejects(render('{{ call .f "x" }}', { data }), /error calling call: arg 0: value has type string; should be int/);
  });

  it('executes with the root data nil, as consul-template does', async () => {
    const t = parseTemplate('[{{ . }}|{{ .Foo }}|{{ $ }}]', { name: 't' });
    const r = await renderTemplate(t, { source: noSource });
    assert.equal(r.output, '[<no value>|<no value>|<no value>]');
  });

  it('honours custom delimiters', async () => {
    const t = parseTemplate('{{ raw }} <<- .s >> <<"x">>', { name: 't', leftDelim: '<<', rightDelim: '>>' });
    const r = await renderTemplate(t, { source: noSource, data: { s: 'v' } });
    assert.equal(r.output, '{{ raw }}v x');
  });

  it('accepts plain JavaScript data, integers becoming int', async () => {
    const t = parseTemplate('{{ .a }} {{ .b }} {{ printf "%T %T" .a .b }} {{ .c }}', { name: 't' });
    const r = await renderTemplate(t, { source: noSource, data: { a: 1, b: 1.5, c: ['x', { k: true }] } });
    assert.equal(r.output, '1 1.5 int float64 [x map[k:true]]');
  });
});

describe('missing keys', () => {
  it('renders <no value> by default', async () => {
    assert.equal(await render('{{ .m.nope }}'), '<no value>');
  });

  it('is an error with missingKey error (error_on_missing_key)', async () => {
    await assert.rejects(render('{{ .m.nope }}', { missingKey: 'error' }), {
      message: 'template: t:1:5: executing "t" at <.m.nope>: map has no entry for key "nope"',
    });
  });

  it('is not an error through index, which yields the zero value', async () => {
    assert.equal(await render('{{ index .m "nope" }}', { missingKey: 'error' }), '<no value>');
  });

  it('yields an invalid value under Go\'s default mode, so deeper fields are not an error', async () => {
    assert.equal(await render('{{ .m.nope.deeper }}', { missingKey: 'default' }), '<no value>');
  });
});

