// Every finding names the exact condition that failed, in the CLI's JSON and in SARIF: one file that makes every
// configurable rule fire, and each rule's ids checked against its metadata.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { BUILT_IN_CHECKS, configurableRuleIds, RULES } from '../../server/src/engine';
import { SOURCE_CHECKS } from '../../server/src/sources/sourceFindings';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** One stream in which each configurable rule reports at least once. */
const EVERY_RULE = [
  'apiVersion: v1',
  'kind: Namespace',
  'metadata:',
  '  name: shop',
  '  labels: {pod-security.kubernetes.io/enforce: restricted}',
  '---',
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: web, namespace: shop}',
  'spec:',
  '  securityContext: {readOnlyRootFilesystem: true}',
  '  volumes: [{name: host, hostPath: {path: /data}}]',
  '  containers:',
  '  - name: web',
  '    image: nginx',
  '    command: [sh, -c, "chmod -R a-w / && nginx"]',
  '    securityContext: {privileged: true, readOnlyRootFilesystem: true}',
  '    volumeMounts: [{name: host, mountPath: /data}]',
  '  # kube-immutable-ignore privileged-container -- no longer privileged',
  '  - name: side',
  '    image: busybox:1.36',
  '---',
  'apiVersion: rbac.authorization.k8s.io/v1',
  'kind: Role',
  'metadata: {name: debug, namespace: shop}',
  'rules: [{apiGroups: [""], resources: [pods/exec], verbs: [create]}]',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: api}',
  'spec: [template]',
  '---',
  'apiVersion: v1',
  'kind: Pod',
  'spec: {containers: [',
  '',
].join('\n');

const MESSAGES = new Map([...RULES.map(rule => rule.meta), ...BUILT_IN_CHECKS, ...SOURCE_CHECKS].map(meta => [meta.id, meta.messages]));

function lint(format: 'json' | 'sarif'): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-ids-'));
  writeFileSync(join(dir, 'all.yaml'), EVERY_RULE);
  const result = spawnSync(process.execPath, [CLI, '--format', format, 'all.yaml'], { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 1, result.stderr);
  return JSON.parse(result.stdout);
}

describe('message ids', () => {
  it('every rule lists its ids, each prefixed with the rule\'s id', () => {
    for (const [rule, messages] of MESSAGES) {
      assert.ok(Object.keys(messages).length > 0, rule);
      for (const id of Object.keys(messages)) assert.match(id, new RegExp(`^${rule}/[a-z0-9-]+$`));
    }
  });

  it('--format json gives each finding a messageId its rule lists, and each rule fires with one', () => {
    const { findings } = lint('json') as { findings: { rule: string; messageId: string }[] };
    for (const finding of findings) assert.ok(finding.messageId in MESSAGES.get(finding.rule)!, finding.messageId);
    const byRule = new Map(findings.map(finding => [finding.rule, finding.messageId]));
    assert.deepEqual(Object.fromEntries(configurableRuleIds().map(rule => [rule, byRule.get(rule)])), {
      'readonly-root-filesystem': 'readonly-root-filesystem/not-set',
      'misplaced-container-field': 'misplaced-container-field/container-only-field',
      'chmod-immutability-hack': 'chmod-immutability-hack/chmod-read-only',
      'writable-paths-unmounted': 'writable-paths-unmounted/unmounted-write-paths',
      'run-as-root': 'run-as-root/not-set',
      'privilege-escalation': 'privilege-escalation/not-set',
      'privileged-container': 'privileged-container/privileged',
      capabilities: 'capabilities/not-dropped',
      'mutable-image-reference': 'mutable-image-reference/no-tag',
      'writable-host-path': 'writable-host-path/read-write',
      'exec-into-pods': 'exec-into-pods/pod-subresources',
      'invalid-pod-spec': 'invalid-pod-spec/not-a-map',
      'pod-security-admission': 'pod-security-admission/enforce',
      'parse-error': 'parse-error/syntax',
      'unused-suppression': 'unused-suppression/unused',
    });
  });

  it('--format sarif gives each result message.id, and each rule messageStrings with its ids', () => {
    const log = lint('sarif') as Sarif.Log;
    const [run] = log.runs;
    const rules = run.tool.driver.rules!;
    for (const rule of rules) {
      assert.deepEqual(rule.messageStrings, Object.fromEntries(Object.entries(MESSAGES.get(rule.id)!).map(([id, text]) => [id, { text }])), rule.id);
    }
    for (const result of run.results!) {
      assert.ok(result.message.id && result.message.id in rules[result.ruleIndex!].messageStrings!, result.message.id);
      assert.ok(result.message.text);
    }
    assert.deepEqual([...new Set(run.results!.map(result => result.ruleId))].sort(), configurableRuleIds().sort());
  });
});
