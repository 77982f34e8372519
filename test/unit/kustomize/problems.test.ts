// Problems of a tree: each reported in the file and on the span at fault, with a clear message, and the rest of
// the tree still built. Nothing here throws or hangs.
import * as assert from 'node:assert/strict';
import { buildKustomization, printBuild } from '../../../server/src/sources/kustomize';
import { yaml } from '../../helpers';
import { memoryTree, position } from './memoryTree';

interface ProblemCase {
  name: string;
  files: Record<string, string | Uint8Array>;
  /** `severity file:line:col message` of every problem. */
  problems: string[];
  /** The names of the objects still built. */
  built: string[];
}

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept}\n';

const cases: ProblemCase[] = [
  {
    name: 'a missing resource file',
    files: { '/app/kustomization.yaml': 'resources:\n- kept.yaml\n- missing.yaml\n', '/app/kept.yaml': CONFIG_MAP },
    problems: ['error /app/kustomization.yaml:3:3 Resource missing.yaml does not exist'],
    built: ['kept'],
  },
  {
    name: 'a cycle of kustomizations',
    files: {
      '/a/kustomization.yaml': 'resources: [kept.yaml, ../b]\n',
      '/a/kept.yaml': CONFIG_MAP,
      '/b/kustomization.yaml': 'resources: [../a]\n',
    },
    problems: ['error /b/kustomization.yaml:1:13 Cycle of kustomizations: /a -> /b -> /a'],
    built: ['kept'],
  },
  {
    name: 'a patch whose target is not in the tree',
    files: {
      '/app/kustomization.yaml': 'resources: [kept.yaml]\npatches:\n- path: patch.yaml\n',
      '/app/kept.yaml': CONFIG_MAP,
      '/app/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
    },
    problems: ['error /app/patch.yaml:4:9 No resource matches the patch for Deployment web'],
    built: ['kept'],
  },
  {
    name: 'a JSON 6902 patch without a target, and a malformed one',
    files: {
      '/app/kustomization.yaml': yaml`
        resources: [kept.yaml]
        patches:
        - patch: '[{"op": "add", "path": "/data", "value": {}}]'
        - target: {kind: ConfigMap}
          patch: |-
            - op: make
              path: /data
      `,
      '/app/kept.yaml': CONFIG_MAP,
    },
    problems: [
      'error /app/kustomization.yaml:3:10 A JSON 6902 patch needs a `target`',
      'error /app/kustomization.yaml:5:10 Malformed patch: operation 1 of the JSON 6902 patch has no valid "op" (add, remove, replace, move, copy or test)',
    ],
    built: ['kept'],
  },
  {
    name: 'a remote base and helmCharts are reported and skipped',
    files: {
      '/app/kustomization.yaml': yaml`
        resources:
        - kept.yaml
        - https://github.com/example/repo//base?ref=v1
        helmCharts:
        - name: redis
      `,
      '/app/kept.yaml': CONFIG_MAP,
    },
    problems: [
      'warning /app/kustomization.yaml:5:1 helmCharts: Helm charts are not rendered inside Kustomize builds; the build goes on without it',
      'warning /app/kustomization.yaml:3:3 Remote resource https://github.com/example/repo//base?ref=v1 is not fetched; the build goes on without it',
    ],
    built: ['kept'],
  },
  {
    name: 'an unknown field is ignored, as Kustomize does, and said',
    files: { '/app/kustomization.yaml': 'namePrefx: x-\nresources: [kept.yaml]\n', '/app/kept.yaml': CONFIG_MAP },
    problems: ['warning /app/kustomization.yaml:1:12 Unknown kustomization field "namePrefx" is ignored'],
    built: ['kept'],
  },
  {
    name: 'two kustomization files in one directory',
    files: { '/app/kustomization.yaml': 'resources: [../base]\n', '/base/kustomization.yaml': 'resources: []\n', '/base/kustomization.yml': 'resources: []\n' },
    problems: ['error /app/kustomization.yaml:1:13 /base holds more than one kustomization file (kustomization.yaml, kustomization.yml); Kustomize refuses to choose'],
    built: [],
  },
  {
    name: 'broken YAML in a resource, with the rest built',
    files: {
      '/app/kustomization.yaml': 'resources: [kept.yaml, broken.yaml]\n',
      '/app/kept.yaml': CONFIG_MAP,
      '/app/broken.yaml': 'kind: ConfigMap\nmetadata: {name: [\n',
    },
    problems: ['error /app/broken.yaml:3:1 Invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    built: ['kept'],
  },
  {
    name: 'an alias bomb is refused, not expanded',
    files: {
      '/app/kustomization.yaml': 'resources: [bomb.yaml]\n',
      '/app/bomb.yaml': yaml`
        kind: ConfigMap
        metadata: {name: bomb}
        a: &a [x, x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
        f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
      `,
    },
    problems: ['error /app/bomb.yaml:1:1 More than 10000 YAML nodes once aliases are expanded; not read'],
    built: [],
  },
  {
    name: 'a document nested 100,000 levels deep is refused, not a crash',
    files: { '/app/kustomization.yaml': 'resources: [kept.yaml, deep.yaml]\n', '/app/kept.yaml': CONFIG_MAP, '/app/deep.yaml': `${'- '.repeat(100_000)}x\n` },
    problems: ['error /app/deep.yaml:1:1 YAML nested more than 1000 levels deep; not read'],
    built: ['kept'],
  },
  {
    name: 'flow collections nested 2,000 levels deep are refused before any parser recurses',
    files: { '/app/kustomization.yaml': 'resources: [kept.yaml, deep.yaml]\n', '/app/kept.yaml': CONFIG_MAP, '/app/deep.yaml': `${'['.repeat(2000)}${']'.repeat(2000)}\n` },
    problems: ['error /app/deep.yaml:1:1 YAML nested more than 1000 levels deep; not read'],
    built: ['kept'],
  },
  {
    name: 'a directory without a kustomization',
    files: {
      '/app/kustomization.yaml': 'resources: [kept.yaml, ../empty]\n',
      '/app/kept.yaml': CONFIG_MAP,
      '/empty/readme.md': 'nothing here\n',
    },
    problems: ['error /app/kustomization.yaml:1:24 /empty has no kustomization.yaml, kustomization.yml or Kustomization'],
    built: ['kept'],
  },
  // A component's transformers change the ids of what the tree gathered so far; a later component's resources are
  // compared with the ids as they are then (as `kubectl kustomize` does: "may not add resource with an already
  // registered id").
  {
    name: 'a resource that a later component adds under a name an earlier component gave another is included twice',
    files: {
      '/app/kustomization.yaml': 'resources: [a.yaml]\ncomponents: [../prefix, ../more]\n',
      '/app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      '/prefix/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: p-\n',
      '/more/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [more.yaml]\n',
      '/more/more.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p-a}\n',
    },
    problems: ['error /more/kustomization.yaml:3:13 ConfigMap p-a is included twice'],
    built: ['p-a'],
  },
  {
    name: 'a resource that a later component adds under the name an earlier component changed is not',
    files: {
      '/app/kustomization.yaml': 'resources: [a.yaml]\ncomponents: [../prefix, ../more]\n',
      '/app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      '/prefix/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: p-\n',
      '/more/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [more.yaml]\n',
      '/more/more.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    },
    problems: [],
    built: ['a', 'p-a'],
  },
  {
    name: 'binary data from a file becomes binaryData, text stays data',
    files: {
      '/app/kustomization.yaml': 'configMapGenerator:\n- name: files\n  files: [logo.bin, motd.txt]\n  options: {disableNameSuffixHash: true}\n',
      '/app/logo.bin': new Uint8Array([0xff, 0xfe, 0x00, 0x01]),
      '/app/motd.txt': 'hello\n',
    },
    problems: [],
    built: ['files'],
  },
];

describe('Kustomize renderer: problems of the tree', () => {
  for (const c of cases) {
    it(c.name, () => {
      const build = buildKustomization(c.files['/app/kustomization.yaml'] ? '/app' : '/a', memoryTree(c.files));
      assert.deepEqual(
        build.problems.map((p) => `${p.severity} ${p.span ? position(c.files, p.span.file, p.span.start) : '-'} ${p.message}`),
        c.problems,
      );
      assert.deepEqual(build.documents.map((d) => /\n {2}name: (.*)\n/.exec(d.text)?.[1]), c.built);
    });
  }

  it('writes binary file contents as base64 binaryData', () => {
    const files = cases[cases.length - 1].files;
    assert.equal(printBuild(buildKustomization('/app', memoryTree(files))), yaml`
      apiVersion: v1
      binaryData:
        logo.bin: //4AAQ==
      data:
        motd.txt: |
          hello
      kind: ConfigMap
      metadata:
        name: files
    `);
  });
});
