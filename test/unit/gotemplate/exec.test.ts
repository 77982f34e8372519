import * as assert from 'node:assert/strict';
import {
  defineGoType, ExecError, FunctionFactory, GoFunction, NestingTooDeep, ParseError, signature, TemplateOptions, Templates,
} from '../../../server/src/gotemplate';
import { parseTemplateOnce } from '../../../server/src/gotemplate/parse';

/** Parses `text` as template `t` and executes it with `data`: the output, or the error message. */
function render(text: string, data: unknown, options: TemplateOptions = {}): string {
  const templates = new Templates(options);
  try {
    templates.parse('t', text);
    return templates.execute('t', data).text;
  } catch (error) {
    return `ERROR ${(error as Error).message}`;
  }
}

// Data as Helm hands it over: values decoded through JSON (numbers are float64), ints from `--set` are int64.
const values = { a: 'x', n: 3, big: 1000000, list: [1, 2, 'c'], m: { b: 2, a: 1 }, nul: null, empty: '', t: true };
const data = { Values: values, i: 5n };

const functions: Record<string, GoFunction> = {
  upper: (s) => String(s).toUpperCase(),
  fail: (message) => {
    throw new Error(String(message));
  },
  pair: (a, b) => `${String(a)}/${String(b)}`,
  nothing: () => undefined,
  toString: (value: unknown) => String(value),
  two: signature((a: unknown, b: unknown) => `${String(a)}${String(b)}`, ['interface {}', 'interface {}']),
  atLeastOne: signature((first: unknown, ...rest: unknown[]) => [first, ...rest].length, ['interface {}', 'interface {}'], true),
  b64: signature((text: unknown) => Buffer.from(String(text)).toString('base64'), ['string']),
  half: signature((n: unknown) => Number(n) / 2, ['float64']),
  repeatN: signature((n: unknown, text: unknown) => String(text).repeat(Number(n)), ['int', 'string']),
};

describe('gotemplate: execution', () => {
  const cases: [string, string, unknown?][] = [
    // text, trim markers and comments
    ['hello {{ .Values.a }}!', 'hello x!'],
    ['a  {{- .Values.a -}}  \n b', 'axb'],
    ['a {{- /* gone */ -}} b', 'ab'],
    ['{{/* a comment */}}x', 'x'],
    ['{{-3}}', '-3'],
    ['{{ 3 -}} {{- 4 }}', '34'],
    // missing values and nil
    ['[{{ .Values.missing }}]', '[<no value>]'],
    ['[{{ .Values.nul }}]', '[<no value>]'],
    ['[{{ .nothing.deeper }}]', '[<no value>]'],
    ['{{ print .Values.missing }}', '<nil>'],
    ['{{ $x := .Values.missing }}[{{ $x }}]', '[<no value>]'],
    // numbers print as Go prints them: float64 in shortest form, exponent from 1e+06
    ['{{ .Values.n }} {{ .Values.big }} {{ 1234567.0 }} {{ 0.000012 }} {{ 2.50 }} {{ .i }}', '3 1e+06 1.234567e+06 1.2e-05 2.5 5'],
    ["{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 1_000 }} {{ 'a' }} {{ -5 }} {{ +3 }}", '31 15 15 1000 97 -5 3'],
    // maps print and range in sorted key order
    ['{{ .Values.m }} {{ .Values.list }}', 'map[a:1 b:2] [1 2 c]'],
    ['{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}', 'a=1;b=2;'],
    ['{{ range $i, $v := .Values.list }}{{ $i }}:{{ $v }} {{ end }}', '0:1 1:2 2:c '],
    ['{{ range .Values.list }}[{{ . }}]{{ end }}', '[1][2][c]'],
    ['{{ range .Values.missing }}x{{ else }}none{{ end }}', 'none'],
    ['{{ range $i := 3 }}{{ $i }}{{ end }}', '012'],
    ['{{ range $i := 5 }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 3 }}{{ break }}{{ end }}{{ $i }}{{ end }}', '02'],
    ['{{ $x := 0 }}{{ range $i, $v := .Values.list }}{{ $x = $i }}{{ end }}{{ $x }}', '2'],
    // if, else if, with
    ['{{ if eq .Values.a "x" }}yes{{ else }}no{{ end }}', 'yes'],
    ['{{ if .Values.empty }}a{{ else if .Values.t }}b{{ else }}c{{ end }}', 'b'],
    ['{{ with .Values.m }}{{ .a }}{{ end }}|{{ with .Values.zz }}z{{ else }}none{{ end }}', '1|none'],
    ['{{ with .Values.empty }}e{{ else with .Values.a }}{{ . }}{{ end }}', 'x'],
    ['{{ if 0 }}a{{ end }}{{ if 0.0 }}b{{ end }}{{ if .Values.list }}c{{ end }}', 'c'],
    // variables
    ['{{ $x := 1 }}{{ $x = 2 }}{{ $x }}', '2'],
    ['{{ with $x := .Values.a }}{{ $x }}{{ end }}', 'x'],
    ['{{ range .Values.list }}{{ $.Values.a }}{{ end }}', 'xxx'],
    // define, template, block
    ['{{ define "x" }}X{{ . }}{{ end }}{{ template "x" 1 }}{{ template "x" }}', 'X1X<no value>'],
    ['{{ block "y" .Values.a }}Y{{ . }}{{ end }}', 'Yx'],
    // and, or, not short-circuit and return values
    ['{{ and 1 0 2 }} {{ or 0 "" "z" }} {{ not 0 }} {{ and 1 2 }} {{ or 0 "" }}', '0 z true 2 '],
    ['{{ or .Values.a (fail "not evaluated") }}', 'x'],
    // comparisons with Go's type rules
    ['{{ eq .Values.a "x" }} {{ ne 1 2 }} {{ eq 1 2 1 }} {{ eq .Values.missing "x" }}', 'true true true false'],
    ['{{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.0 }}', 'true true true false'],
    // len, index, slice
    ['{{ len .Values.list }} {{ len .Values.m }} {{ len "héllo" }}', '3 2 6'],
    ['{{ index .Values.list 2 }} {{ index .Values.m "b" }} {{ index "abc" 1 }} {{ index .Values.m "zz" }}', 'c 2 98 <no value>'],
    ['{{ slice "hello" 1 3 }} {{ slice .Values.list 1 }} {{ slice .Values.list }}', 'el [2 c] [1 2 c]'],
    // print, printf, println
    ['{{ print 1 2 "a" "b" 3 }}', '1 2ab3'],
    ['{{ println "a" 1 }}', 'a 1\n'],
    ['{{ printf "%5.2f|%-4d|%q|%x|%X|%o|%t|%%" 3.14159 42 "hi" 255 255 8 true }}', ' 3.14|42  |"hi"|ff|FF|10|true|%'],
    ['{{ printf "%s|%v|%d" .Values.a .Values.m .Values.a }}', 'x|map[a:1 b:2]|%!d(string=x)'],
    ['{{ printf "%d %s" 1 }}', '1 %!s(MISSING)'],
    ['{{ printf "%d" 1 2 }}', '1%!(EXTRA int=2)'],
    ['{{ printf "%05d|%+d|%x|%8.3s|%-6s|" 42 5 "hi" "abcdef" "ab" }}', '00042|+5|6869|     abc|ab    |'],
    ['{{ printf "%v %v %.1f %e %g" .Values.n 2.5 2.25 123456.0 0.5 }}', '3 2.5 2.2 1.234560e+05 0.5'],
    ['{{ "a" | printf "%s-%s" "b" }}', 'b-a'],
    // escapers
    ['{{ html "<a href=\'x\'>&\\"</a>" }}', '&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;'],
    ['{{ js "a\'b\\"c<d>=&\\\\" }}', 'a\\\'b\\"c\\u003Cd\\u003E\\u003D\\u0026\\\\'],
    ['{{ urlquery "a b&c/d=é" }}', 'a+b%26c%2Fd%3D%C3%A9'],
    // functions, pipelines, call
    ['{{ .Values.a | upper }} {{ upper "q" | printf "[%s]" }}', 'X [Q]'],
    ['{{ pair "a" "b" }} {{ "b" | pair "a" }}', 'a/b a/b'],
    ['{{ two "a" "b" }} {{ "b" | two "a" }} {{ atLeastOne 1 }} {{ 3 | atLeastOne 1 2 }}', 'ab ab 1 3'],
    ['{{ b64 "hi" }} {{ .Values.a | b64 }} {{ half 3 }} {{ half .Values.n }} {{ repeatN 2 "ab" }}', 'aGk= eA== 1.5 1.5 abab'],
    ['[{{ nothing }}]', '[<no value>]'],
    ['{{ call .f "z" }}', 'Z', { f: (s: unknown) => String(s).toUpperCase() }],
    // methods and structs
    ['{{ .Chart.Name }} {{ .Files.Get "a.txt" }} {{ .Caps.KubeVersion }}', 'web A.TXT v1.30.0', {
      Chart: defineGoType({ Name: 'web' }, '*chart.Metadata', 'struct'),
      Files: defineGoType(Object.defineProperty({}, 'Get', { value: (name: string) => name.toUpperCase() }), 'files.Files', 'map'),
      Caps: defineGoType({ KubeVersion: defineGoType({ Version: 'v1.30.0', String: () => 'v1.30.0' }, '*chartutil.KubeVersion', 'struct') }, '*chartutil.Capabilities', 'struct'),
    }],
    // names of JavaScript's Object.prototype are nothing special
    ['[{{ .Values.toString }}{{ .Values.constructor }}] {{ toString 1 | upper }}', '[<no value><no value>] 1'],
    // parenthesized pipelines and chains
    ['{{ (index .Values.list 0) }} {{ (.Values.m).a }} {{ $m := .Values.m }}{{ $m.b }}', '1 1 2'],
  ];
  for (const [text, expected, own] of cases) {
    it(`${JSON.stringify(text)} -> ${JSON.stringify(expected)}`, () => {
      assert.equal(render(text, own ?? data, { functions: [functions] }), expected);
    });
  }

  it('with missingkey=zero a missing key is nil, and a field of it an error', () => {
    assert.equal(render('[{{ .Values.zz }}]', data, { missingKey: 'zero' }), '[<no value>]');
    assert.equal(render('{{ .Values.zz.y }}', data, { missingKey: 'zero' }),
      'ERROR template: t:1:10: executing "t" at <.Values.zz.y>: nil pointer evaluating interface {}.y');
  });

  it('with missingkey=error a missing key stops execution', () => {
    assert.equal(render('{{ .Values.zz }}', data, { missingKey: 'error' }),
      'ERROR template: t:1:10: executing "t" at <.Values.zz>: map has no entry for key "zz"');
  });

  it('later definitions replace earlier ones across files; an empty one does not', () => {
    const templates = new Templates();
    templates.parse('a', '{{ define "x" }}first{{ end }}');
    templates.parse('b', '{{ define "x" }}second{{ end }}');
    templates.parse('c', '{{ define "x" }} {{ end }}{{ template "x" }}');
    assert.equal(templates.execute('c', {}).text, 'second');
  });
});

describe('gotemplate: errors name template, line and column as Go does', () => {
  const cases: [string, string][] = [
    ['{{ .Values.a.b }}', 'template: t:1:10: executing "t" at <.Values.a.b>: can\'t evaluate field b in type interface {}'],
    ['{{ .Values.nul.b }}', 'template: t:1:10: executing "t" at <.Values.nul.b>: nil pointer evaluating interface {}.b'],
    ['{{ $x := .Values.a }}{{ $x.b }}', 'template: t:1:26: executing "t" at <$x.b>: can\'t evaluate field b in type string'],
    ['line1\n  {{ eq .Values.n 3 }}', 'template: t:2:5: executing "t" at <eq .Values.n 3>: error calling eq: incompatible types for comparison'],
    ['{{ lt 1 "a" }}', 'template: t:1:3: executing "t" at <lt 1 "a">: error calling lt: incompatible types for comparison'],
    ['{{ lt .Values.list 1 }}', 'template: t:1:3: executing "t" at <lt .Values.list 1>: error calling lt: invalid type for comparison'],
    ['{{ fail "boom" }}', 'template: t:1:3: executing "t" at <fail "boom">: error calling fail: boom'],
    ['All your base{{ fail "x" }}', 'template: t:1:16: executing "t" at <fail "x">: error calling fail: x'],
    ['{{ template "nope" }}', 'template: t:1:12: executing "t" at <{{template "nope"}}>: template "nope" not defined'],
    ['{{ index .Values.list 5 }}', 'template: t:1:3: executing "t" at <index .Values.list 5>: error calling index: index out of range: 5'],
    ['{{ len 3 }}', 'template: t:1:3: executing "t" at <len 3>: error calling len: len of type int'],
    ['{{ range 1.5 }}{{ end }}', 'template: t:1:9: executing "t" at <1.5>: range can\'t iterate over 1.5'],
    ['{{ .Values.a 1 }}', 'template: t:1:10: executing "t" at <.Values.a>: a is not a method but has arguments'],
    ['{{ 1 | printf "%d" | 2 }}', 'template: t:1: non executable command in pipeline stage 3'],
    ['{{ nope }}', 'template: t:1: function "nope" not defined'],
    ['{{ constructor }}', 'template: t:1: function "constructor" not defined'],
    ['{{ two "a" }}', 'template: t:1:3: executing "t" at <two>: wrong number of args for two: want 2 got 1'],
    ['{{ "b" | two "a" "c" }}', 'template: t:1:9: executing "t" at <two>: wrong number of args for two: want 2 got 3'],
    ['{{ atLeastOne }}', 'template: t:1:3: executing "t" at <atLeastOne>: wrong number of args for atLeastOne: want at least 1 got 0'],
    // typed parameters: a missing value piped in, a nil from a map, a value of another type, constants
    ['{{ .Values.missing | b64 }}', 'template: t:1:21: executing "t" at <b64>: invalid value; expected string'],
    ['{{ b64 .Values.nul }}', 'template: t:1:14: executing "t" at <.Values.nul>: wrong type for value; expected string; got interface {}'],
    ['{{ b64 .Values.n }}', 'template: t:1:14: executing "t" at <.Values.n>: wrong type for value; expected string; got float64'],
    ['{{ b64 3 }}', 'template: t:1:7: executing "t" at <3>: expected string; found 3'],
    ['{{ repeatN "2" "a" }}', 'template: t:1:11: executing "t" at <"2">: expected integer; found "2"'],
    ['{{ repeatN 1.5 "a" }}', 'template: t:1:11: executing "t" at <1.5>: expected integer; found 1.5'],
    ['{{ b64 nil }}', 'template: t:1:7: executing "t" at <nil>: cannot assign nil to string'],
    ['{{ $y }}', 'template: t:1: undefined variable "$y"'],
    ['{{ if }}', 'template: t:1: missing value for if'],
    ['{{ if 1 }}', 'template: t:1: unexpected EOF'],
    ['{{ end }}', 'template: t:1: unexpected {{end}}'],
    ['{{ break }}', 'template: t:1: {{break}} outside {{range}}'],
    ['a\n{{ .x', 'template: t:2: unclosed action'],
    ['{{ "abc }}', 'template: t:1: unterminated quoted string'],
    ['{{ /* x */ }}', 'template: t:1: unexpected "/" in command'],
    ['{{ define "a" }}1{{ end }}{{ define "a" }}2{{ end }}', 'template: t:1: template: multiple definition of template "a"'],
    ['{{ 3 .x }}', 'template: t:1:3: executing "t" at <3>: can\'t give argument to non-function 3'],
    ['{{ nil }}', 'template: t:1:3: executing "t" at <nil>: nil is not a command'],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)}`, () => {
      assert.equal(render(text, data, { functions: [functions] }), `ERROR ${expected}`);
    });
  }
});

describe('gotemplate: error locations', () => {
  it('a parse error names the token at fault in its file', () => {
    const templates = new Templates();
    const text = 'a: 1\nb: {{ nope 2 }}\n';
    assert.throws(() => templates.parse('chart/templates/x.yaml', text, '/c/templates/x.yaml'), (error: ParseError) => {
      assert.equal(error.message, 'template: chart/templates/x.yaml:2: function "nope" not defined');
      assert.deepEqual(error.location, { file: '/c/templates/x.yaml', start: 11, end: 15 });
      return true;
    });
  });

  it('an execution error names the node at fault in its file', () => {
    const templates = new Templates();
    const text = 'a: 1\nb: {{ .Values.a.b }}\n';
    templates.parse('chart/templates/x.yaml', text, '/c/templates/x.yaml');
    assert.throws(() => templates.execute('chart/templates/x.yaml', data), (error: ExecError) => {
      assert.equal(text.slice(error.location!.start, error.location!.end), '.Values.a.b');
      assert.equal(error.location!.file, '/c/templates/x.yaml');
      return true;
    });
  });
});

describe('gotemplate: limits', () => {
  it('stops endless recursion with a clear error', () => {
    const message = render('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', {}, { limits: { maxDepth: 50 } });
    assert.equal(message, 'ERROR template: t:1:28: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (50)');
  });

  it('stops a long loop at the step budget', () => {
    const message = render('{{ range $i := 1000000 }}{{ $i }}{{ end }}', {}, { limits: { maxSteps: 1000 } });
    assert.match(message, /^ERROR template: t:1:\d+: executing "t" at <.*>: template execution exceeded 1000 steps$/);
  });

  it('stops output beyond the size limit', () => {
    const message = render('{{ range $i := 100 }}0123456789{{ end }}', {}, { limits: { maxOutput: 500 } });
    assert.equal(message, 'ERROR template: t:1:21: executing "t" at <0123456789>: template output exceeded 500 bytes');
  });

  it('reports a JavaScript stack overflow as too deep a nesting, at the template or include that nested', () => {
    const overflow = { overflow: () => { throw new RangeError('Maximum call stack size exceeded'); } };
    const include: FunctionFactory = (handle) => ({ include: (name, data) => handle.execute(String(name), data) });
    const options = { functions: [overflow, include] };
    const helper = '{{ define "x" }}{{ overflow }}{{ end }}';
    assert.equal(render(`${helper}{{ include "x" . }}`, {}, options),
      'ERROR template: t:1:42: executing "t" at <include "x" .>: error calling include: exceeded maximum template depth (the stack is exhausted)');
    assert.equal(render(`${helper}{{ template "x" . }}`, {}, options),
      'ERROR template: t:1:51: executing "t" at <{{template "x" .}}>: exceeded maximum template depth (the stack is exhausted)');
    assert.equal(render('{{ overflow }}', {}, options), 'ERROR template: t: exceeded maximum template depth (the stack is exhausted)');
  });

  it('stops recursion at the default depth before the JavaScript stack overflows', () => {
    const message = render('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', {});
    assert.equal(message, 'ERROR template: t:1:28: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (500)');
    let thrown: unknown;
    const include: FunctionFactory = (handle) => ({
      include: (name, data) => {
        try {
          return handle.execute(String(name), data);
        } catch (error) {
          thrown ??= error;
          throw error;
        }
      },
    });
    const nested = render('{{ define "r" }}{{ include "r" . | printf "%s" }}{{ end }}{{ include "r" . }}', {}, { functions: [include] });
    assert.ok(nested.startsWith('ERROR template: t:1:61: executing "t" at <include "r" .>: error calling include: template: t:1:19: executing "r"'), nested.slice(0, 200));
    assert.ok(nested.endsWith('executing "r" at <include "r" .>: error calling include: exceeded maximum template depth (500)'), nested.slice(-200));
    // The innermost include sees the executor's own error, which a chart's include can word its own way.
    assert.ok(thrown instanceof NestingTooDeep);
  });
});

describe('gotemplate: a text parsed again', () => {
  it('is parsed once under the same name, and again under another name or as another text', () => {
    const has = (name: string) => name === 'upper';
    const first = parseTemplateOnce('chart/templates/a.yaml', 'x: {{ upper .a }}', has);
    assert.equal(parseTemplateOnce('chart/templates/a.yaml', 'x: {{ upper .a }}', has), first);
    assert.notEqual(parseTemplateOnce('chart/templates/b.yaml', 'x: {{ upper .a }}', has), first);
    assert.notEqual(parseTemplateOnce('chart/templates/a.yaml', 'x: {{ upper .b }}', has), first);
  });

  it('fails as Go does in a set that lacks a function the text names, after a set that has it parsed it', () => {
    const text = '{{ define "once" }}{{ upper . }}{{ end }}{{ template "once" .Values.a }}';
    assert.equal(render(text, data, { functions: [functions] }), 'X');
    assert.equal(render(text, data), 'ERROR template: t:1: function "upper" not defined');
    assert.equal(render(text, data, { functions: [functions] }), 'X');
  });
});
