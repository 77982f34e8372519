// The template fuzz mode: chart-like templates and values, mutated, executed with Helm's function map under tight
// limits. Every case must end in output or a clean error (a ParseError or an ExecError with Go's message): any
// other exception is a crash. Each case is rebuilt from (seed, index) alone.
import { ExecError, ParseError, Templates } from '../../server/src/gotemplate';
import { seededRandom } from '../../server/src/gotemplate/sprig';
import { helmFunctions } from '../../server/src/sources/helm/functions';
import { Random } from './random';

export interface TemplateCase {
  index: number;
  recipe: string;
  templates: [string, string][];
  values: unknown;
}

export type TemplateOutcome =
  | { kind: 'output'; length: number }
  | { kind: 'error'; message: string }
  | { kind: 'crash'; message: string };

// Templates in the style charts use: helpers, conditionals, loops over values, YAML blocks, tpl.
const SEEDS: [string, string][] = [
  ['chart/templates/_helpers.tpl', [
    '{{- define "chart.name" -}}{{ default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}{{- end }}',
    '{{- define "chart.labels" -}}',
    'app.kubernetes.io/name: {{ include "chart.name" . }}',
    '{{- with .Values.extraLabels }}',
    '{{ toYaml . }}',
    '{{- end }}',
    '{{- end }}',
  ].join('\n')],
  ['chart/templates/deployment.yaml', [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ include "chart.name" . }}',
    '  labels:',
    '    {{- include "chart.labels" . | nindent 4 }}',
    'spec:',
    '  {{- if not .Values.autoscaling.enabled }}',
    '  replicas: {{ .Values.replicaCount }}',
    '  {{- end }}',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: {{ .Chart.Name }}',
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
    '          {{- with .Values.securityContext }}',
    '          securityContext:',
    '            {{- toYaml . | nindent 12 }}',
    '          {{- end }}',
    '          ports:',
    '          {{- range $name, $port := .Values.ports }}',
    '            - name: {{ $name | quote }}',
    '              containerPort: {{ $port }}',
    '          {{- end }}',
    '          env:',
    '          {{- range $i, $e := .Values.env }}',
    '            - name: {{ printf "%s_%d" (upper $e.name) $i }}',
    '              value: {{ tpl (toString $e.value) $ | quote }}',
    '          {{- else }}',
    '            []',
    '          {{- end }}',
  ].join('\n')],
  ['chart/templates/configmap.yaml', [
    '{{- $root := . -}}',
    '{{- range $key, $value := .Values.config }}',
    '{{- if and (kindIs "string" $value) (ne $value "") }}',
    '{{ $key }}: {{ $value | b64enc | quote }}',
    '{{- else if kindIs "map" $value }}',
    '{{ $key }}: {{ toJson $value | squote }}',
    '{{- else }}',
    '{{ $key }}: {{ index $root.Values "image" "tag" | default "none" }}',
    '{{- end }}',
    '{{- end }}',
    '{{ len .Values.env }} {{ slice (list 1 2 3) 1 }} {{ eq 1 1 }} {{ lt 1.5 2.5 }}',
    '{{ block "chart.footer" . }}footer {{ .Release.Name }}{{ end }}',
  ].join('\n')],
];

// Fragments a mutation inserts: delimiters, keywords, half-open constructs and values Go parses in odd ways.
const FRAGMENTS = [
  '{{', '}}', '{{-', '-}}', '{{ end }}', '{{ else }}', '{{ else if .Values.x }}', '{{ range . }}', '{{ range $i := 100 }}',
  '{{ with .Values }}', '{{ if . }}', '{{ break }}', '{{ continue }}', '{{ define "x" }}', '{{ template "x" . }}',
  '{{ template "chart.labels" . }}', '{{ include "chart.name" . }}', '{{ include "x" . }}', '{{ tpl "{{ . }}" . }}',
  '{{ tpl (toYaml .) . }}', '(', ')', '|', '$x := ', '$x = ', '$', '"', '`', "'", '/*', '*/', '.Values.a.b.c',
  '.Values.nil.x', 'nil', '1e400', '0x', '0x1p-2', "'\\x'", '-', '9223372036854775808', '3.5', '"\\u00e9"', 'é', '\u0000',
  '{{ printf "%v %d %s %q %x %08.3f %-5s %%" . 1 "a" "b" 255 3.14159 "z" }}', '{{ index . 1 }}', '{{ index .Values "a" 5 }}',
  '{{ slice . 1 2 3 }}', '{{ len 3 }}', '{{ call . }}', '{{ and }}', '{{ or 0 }}', '{{ not }}', '{{ eq }}', '{{ lt . . }}',
  '{{ html . }}{{ js . }}{{ urlquery . }}', '{{ toYaml . | nindent 2 }}', '{{ fromYaml "a: [1" }}', '{{ required "r" nil }}',
  '{{ fail "f" }}', '{{ until 5 }}', '{{ repeat 3 "ab" }}', '{{ dict "a" . }}', '{{ merge . . }}', '{{ deepCopy . }}',
  '{{ $.Values }}', '{{ .Release.Name.x }}', '{{ .Files.Get "a" }}', '\n', ' ', '{{/* c */}}', '{{- /* c */ -}}',
];

const IDENTIFIERS = ['a', 'b', 'x', 'image', 'tag', 'env', 'name', 'value', 'config', 'ports', 'nil', 'list'];

function randomScalar(random: Random): unknown {
  switch (random.int(9)) {
    case 0: return null;
    case 1: return random.chance(0.5);
    case 2: return random.between(-5, 100_000_000);
    case 3: return BigInt(random.between(-5, 1000));
    case 4: return random.next() * 1e6;
    case 5: return random.pick(['', 'x', '{{ .Values.a }}', '{{ include "x" . }}', '{{ tpl . . }}', 'a: [1', '💥', '%d']);
    case 6: return 'long'.repeat(random.between(1, 2000));
    case 7: return random.pick([Number.MAX_VALUE, -0, 1e21, 0.1, 2 ** 53]);
    default: return random.pick(IDENTIFIERS);
  }
}

/** Random values: nested maps and lists, sometimes deep, sometimes one subtree shared many times over. */
function randomValues(random: Random, depth: number): unknown {
  if (depth <= 0 || random.chance(0.3)) return randomScalar(random);
  if (random.chance(0.05)) {
    // Shared subtrees, as YAML aliases give: 2^n nodes reachable from n objects (n as far as a values reader's
    // alias limit lets a file go).
    let shared: unknown = randomScalar(random);
    for (let i = random.between(5, 12); i > 0; i--) shared = [shared, shared];
    return shared;
  }
  if (random.chance(0.03)) {
    let deep: unknown = 'bottom';
    for (let i = random.between(100, 3000); i > 0; i--) deep = { a: deep };
    return deep;
  }
  if (random.chance(0.4)) return Array.from({ length: random.between(0, 5) }, () => randomValues(random, depth - 1));
  const map: Record<string, unknown> = {};
  for (let i = random.between(0, 6); i > 0; i--) map[random.pick(IDENTIFIERS)] = randomValues(random, depth - 1);
  return map;
}

function chartValues(random: Random): Record<string, unknown> {
  const values: Record<string, unknown> = {
    replicaCount: random.pick([1, 3, 1e6, '2', null]),
    image: { repository: 'nginx', tag: random.pick(['1.27', 1.27, '', null]) },
    autoscaling: { enabled: random.chance(0.5) },
    securityContext: random.chance(0.5) ? { runAsNonRoot: true, readOnlyRootFilesystem: false } : null,
    ports: { http: 80, https: 443 },
    env: [{ name: 'a', value: '{{ .Release.Name }}' }, { name: 'b', value: 3 }],
    config: { a: 'x', b: { c: 1 }, d: 2 },
  };
  for (let i = random.between(0, 4); i > 0; i--) values[random.pick(IDENTIFIERS)] = randomValues(random, 6);
  return values;
}

function mutateTemplate(text: string, random: Random, steps: string[]): string {
  for (let n = random.between(1, 3); n > 0; n--) {
    const at = random.int(text.length + 1);
    switch (random.int(5)) {
      case 0:
      case 1: {
        const fragment = random.pick(FRAGMENTS);
        steps.push('insert');
        text = text.slice(0, at) + fragment + text.slice(at);
        break;
      }
      case 2: {
        steps.push('delete');
        text = text.slice(0, at) + text.slice(at + random.between(1, 20));
        break;
      }
      case 3: {
        steps.push('duplicate');
        const length = random.between(1, 200);
        text = text.slice(0, at) + text.slice(at, at + length) + text.slice(at);
        break;
      }
      default: {
        steps.push('byte');
        text = text.slice(0, at) + String.fromCharCode(random.int(128)) + text.slice(at + 1);
      }
    }
  }
  return text;
}

/** The case `index` of the run `seed`: the seed templates, some mutated, and random values. */
export function templateCase(seed: number, index: number): TemplateCase {
  const random = new Random(seed, index);
  const steps: string[] = [];
  // One template mutated a little, so that most cases get past the parser and exercise execution.
  const mutated = random.chance(0.7) ? random.int(SEEDS.length) : -1;
  const templates = SEEDS.map(([name, text], i): [string, string] => [name, i === mutated ? mutateTemplate(text, random, steps) : text]);
  if (random.chance(0.1)) {
    steps.push('recursion');
    templates.push(['chart/templates/loop.yaml', '{{ define "loop" }}{{ include "loop" . }}{{ end }}{{ include "loop" . }}']);
  }
  return { index, recipe: steps.join('+') || 'seeds', templates, values: chartValues(random) };
}

/** Parses and executes every template of the case; the first failure decides the outcome. */
export function runTemplateCase(fuzzCase: TemplateCase): TemplateOutcome {
  const { functions } = helmFunctions({ clock: { now: () => new Date(Date.UTC(2026, 0, 1)), localZone: 'UTC' }, random: seededRandom(fuzzCase.index) });
  const templates = new Templates({ functions, missingKey: 'zero', limits: { maxSteps: 200_000, maxOutput: 1_000_000, maxDepth: 200 } });
  const data = {
    Values: fuzzCase.values,
    Release: { Name: 'release-name', Namespace: 'default' },
    Chart: { Name: 'chart', AppVersion: '1.0' },
    Files: Object.defineProperty({}, 'Get', { value: (name: unknown) => `file ${String(name)}` }),
  };
  let length = 0;
  try {
    for (const [name, text] of fuzzCase.templates) templates.parse(name, text, `/${name}`);
    for (const [name] of fuzzCase.templates) {
      if (!name.split('/').pop()!.startsWith('_')) length += templates.execute(name, data).text.length;
    }
  } catch (error) {
    if (error instanceof ParseError || error instanceof ExecError) return { kind: 'error', message: error.message };
    return { kind: 'crash', message: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) };
  }
  return { kind: 'output', length };
}
