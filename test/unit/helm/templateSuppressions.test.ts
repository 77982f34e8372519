// The template lines as a manifest's comments would say them: a suppression written as a template comment is read
// as the `#` directive it stands for, a line of template actions alone as a blank line, every other line as it is.
import * as assert from 'node:assert/strict';
import { directiveView, templateCommentDirectives, templateSuppressors } from '../../../server/src/sources/helm/templateSuppressions';

describe('suppression directives in templates', () => {
  const cases: [string, string][] = [
    ['        {{- /* kube-immutable-ignore capabilities -- a vendor sidecar */}}', '        # kube-immutable-ignore capabilities -- a vendor sidecar'],
    ['{{/* kube-immutable-ignore run-as-root,capabilities */}}', '# kube-immutable-ignore run-as-root,capabilities'],
    ['  {{- /* kube-immutable-ignore-file privilege-escalation */ -}}', '  # kube-immutable-ignore-file privilege-escalation'],
    ['{{- /*kube-immutable-ignore writable-host-path*/}}', '# kube-immutable-ignore writable-host-path'],
    // Other comments and actions alone on their line render nothing: blank.
    ['{{- /* a chart comment */}}', ''],
    ['          {{- with .Values.securityContext }}', ''],
    ['{{- if .Values.a }}{{ end }}  ', ''],
    // Not a directive: a longer keyword, a comment beside other text, a YAML line with an action.
    ['{{- /* kube-immutable-ignored capabilities */}}', ''],
    ['  name: {{ .Release.Name }} {{/* kube-immutable-ignore capabilities */}}', '  name: {{ .Release.Name }} {{/* kube-immutable-ignore capabilities */}}'],
    ['  # kube-immutable-ignore capabilities', '  # kube-immutable-ignore capabilities'],
    ['{{ "unclosed" ', '{{ "unclosed" '],
  ];
  for (const [line, expected] of cases) {
    it(JSON.stringify(line), () => assert.equal(directiveView(line), expected));
  }

  it('a directive covers the item below it, past action lines, and not the next item', () => {
    const template = [
      'containers:',
      '  {{- /* kube-immutable-ignore capabilities -- reason */}}',
      '  - name: a',
      '    {{- with .Values.securityContext }}',
      '    securityContext:',
      '      {{- toYaml . | nindent 6 }}',
      '    {{- end }}',
      '  - name: b',
    ].join('\n');
    // The directive on line 1 suppresses it.
    assert.deepEqual([0, 2, 4, 7].map(line => templateSuppressors(template, 'capabilities', line)), [[], [1], [1], []]);
    assert.deepEqual(templateSuppressors(template, 'run-as-root', 2), []);
  });

  it('reads the directives written as template comments at their places in the template, and leaves out the # ones', () => {
    const template = [
      'containers:',
      '  {{- /* kube-immutable-ignore capabilities, run-as-root -- reason */}}',
      '  # kube-immutable-ignore privilege-escalation',
      '{{/*kube-immutable-ignore-file*/}}',
    ].join('\n');
    const at = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });
    assert.deepEqual(templateCommentDirectives(template).map(d => [d.kind, d.line, d.keywordRange, d.rules.map(r => [r.id, r.range])]), [
      ['line', 1, at(1, 9, 30), [['capabilities', at(1, 31, 43)], ['run-as-root', at(1, 45, 56)]]],
      ['file', 3, at(3, 4, 30), []],
    ]);
  });
});
