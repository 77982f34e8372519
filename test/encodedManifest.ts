// A manifest for the tests of files in UTF-16 and UTF-32: its findings sit on the first line, whose columns a
// byte order mark would shift, and after characters outside the Basic Multilingual Plane.

export const MANIFEST = [
  '{apiVersion: v1, kind: Pod, metadata: {name: flat}, spec: {containers: [{name: "é😀", image: "nginx:latest", securityContext: {privileged: true}}]}}',
  '---',
  '# café ☕ 😀',
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: web, annotations: {note: "😀 é"}}',
  'spec:',
  '  containers: [{name: web, image: "nginx:1.27"}]',
  '',
].join('\n');

/** `rule line:col-line:col` of each finding of MANIFEST, 1-based, columns in UTF-16 code units. */
export const FINDINGS = [
  'mutable-image-reference 1:100-1:107',
  ...['readonly-root-filesystem', 'run-as-root', 'privilege-escalation', 'capabilities'].map(rule => `${rule} 1:110-1:125`),
  'privileged-container 1:140-1:144',
  ...['readonly-root-filesystem', 'run-as-root', 'privilege-escalation', 'capabilities'].map(rule => `${rule} 8:17-8:26`),
];

