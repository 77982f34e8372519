// The template lines as a manifest's comments would say them: a suppression written as a template comment is read
// as the `#` directive it stands for, a line of template actions alone as a blank line, every other line as it is.
import * as assert from 'node:assert/strict';
import { directiveView, suppressedInTemplate } from '../../../server/src/sources/helm/templateSuppressions';

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
    assert.deepEqual([0, 2, 4, 7].map(line => suppressedInTemplate(template, 'capabilities', line)), [false, true, true, false]);
    assert.equal(suppressedInTemplate(template, 'run-as-root', 2), false);
  });
});
