// What a Kustomize tree's files say beyond the build: the Pod Security level of the Namespace a kustomization's
// `namespace:` puts a workload in, and `# kube-immutable-ignore` comments in bases and patches.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { yaml } from '../helpers';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function lint(files: Record<string, string>): string[] {
  const root = mkdtempSync(join(tmpdir(), 'kube-immutable-kustomize-context-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  const result = spawnSync(process.execPath, [CLI, '--format', 'json', '.'], { encoding: 'utf8', cwd: root });
  return JSON.parse(result.stdout).findings.map((f: { file: string; line: number; column: number; rule: string }) => `${f.file}:${f.line}:${f.column} ${f.rule}`);
}

const DEPLOYMENT = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
        - name: web
          image: registry.example.com/web:1.27
          securityContext:
            readOnlyRootFilesystem: true
`;

const RESTRICTED_PROD = yaml`
  apiVersion: v1
  kind: Namespace
  metadata:
    name: prod
    labels:
      pod-security.kubernetes.io/enforce: restricted
`;

describe('CLI on Kustomize trees: namespaces and suppressions', () => {
  it('checks a workload against the Pod Security level of the Namespace the kustomization puts it in', () => {
    const files = { 'app/kustomization.yaml': 'namespace: prod\nresources:\n- deployment.yaml\n', 'app/deployment.yaml': DEPLOYMENT, 'cluster/namespace.yaml': RESTRICTED_PROD };
    assert.deepEqual(lint(files), [
      'app/deployment.yaml:7:5 pod-security-admission',
      'app/deployment.yaml:11:9 run-as-root',
      'app/deployment.yaml:11:9 privilege-escalation',
      'app/deployment.yaml:11:9 capabilities',
    ]);
    // Without the kustomization's namespace the pod lands in no labelled Namespace.
    assert.deepEqual(lint({ ...files, 'app/kustomization.yaml': 'resources:\n- deployment.yaml\n' }), [
      'app/deployment.yaml:11:9 run-as-root',
      'app/deployment.yaml:11:9 privilege-escalation',
      'app/deployment.yaml:11:9 capabilities',
    ]);
  });

  it('takes the level from a labelled Namespace that is itself a resource of the tree', () => {
    const files = { 'app/kustomization.yaml': 'namespace: prod\nresources:\n- namespace.yaml\n- deployment.yaml\n', 'app/deployment.yaml': DEPLOYMENT, 'app/namespace.yaml': RESTRICTED_PROD };
    assert.deepEqual(lint(files)[0], 'app/deployment.yaml:7:5 pod-security-admission');
  });

  it('honours # kube-immutable-ignore comments in a patch, rule by rule, where the findings are placed', () => {
    const patch = yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
            # kube-immutable-ignore run-as-root -- the image runs as uid 10001
            - name: web
              securityContext:
                # kube-immutable-ignore readonly-root-filesystem -- writes its cache in place
                readOnlyRootFilesystem: false
    `;
    const files = {
      'base/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'base/deployment.yaml': DEPLOYMENT,
      'overlay/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n', 'overlay/patch.yaml': patch,
    };
    assert.deepEqual(lint(files), ['overlay/patch.yaml:11:9 privilege-escalation', 'overlay/patch.yaml:11:9 capabilities']);
    // The same tree without the comments: both come back.
    assert.deepEqual(lint({ ...files, 'overlay/patch.yaml': patch.replace(/ *# kube-immutable-ignore.*\n/g, '') }), [
      'overlay/patch.yaml:10:9 run-as-root',
      'overlay/patch.yaml:10:9 privilege-escalation',
      'overlay/patch.yaml:10:9 capabilities',
      'overlay/patch.yaml:11:35 readonly-root-filesystem',
    ]);
  });

  it('honours # kube-immutable-ignore comments in a base resource', () => {
    const base = DEPLOYMENT.replace(/^( *)- name: web$/m, '$1# kube-immutable-ignore run-as-root -- the image runs as uid 10001\n$1- name: web');
    const files = { 'app/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'app/deployment.yaml': base };
    assert.deepEqual(lint(files), ['app/deployment.yaml:12:9 privilege-escalation', 'app/deployment.yaml:12:9 capabilities']);
  });

  it('honours # kube-immutable-ignore-file in a base for the rules it names', () => {
    const files = { 'app/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'app/deployment.yaml': '# kube-immutable-ignore-file run-as-root,capabilities -- reviewed\n' + DEPLOYMENT };
    assert.deepEqual(lint(files), ['app/deployment.yaml:12:9 privilege-escalation']);
  });
});
