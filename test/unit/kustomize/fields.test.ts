// vars, replacements, builtin transformers and generators, configurations, buildMetadata: small trees and the
// exact text `kubectl kustomize --reorder none` (Kustomize v5.5) prints for each; and what Kustomize refuses.
import * as assert from 'node:assert/strict';
import { buildKustomization, printBuild } from '../../../server/src/sources/kustomize';
import { memoryTree } from './memoryTree';

interface FieldCase {
  name: string;
  files: Record<string, string>;
  output: string;
}

const cases: FieldCase[] = [
  {
    name: "vars: $(NAME) takes the field of the objref resource after the prefix, typed when alone, in args, env and annotations; $$ escapes and unknown names stay",
    files: {
      "/app/kustomization.yaml": "namePrefix: prod-\nresources:\n- pod.yaml\n- service.yaml\nvars:\n- name: SVC\n  objref: {kind: Service, name: db, apiVersion: v1}\n- name: PORT\n  objref: {kind: Service, name: db, apiVersion: v1}\n  fieldref: {fieldpath: 'spec.ports[0].port'}\n",
      "/app/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    peer: $(SVC)\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    args: [\"--db=$(SVC):$(PORT)\", \"$$(SVC)\", \"$(UNKNOWN)\"]\n    env:\n    - {name: PORT, value: $(PORT)}\n",
      "/app/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - port: 5432\n",
    },
    output: "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    peer: prod-db\n  name: prod-web\nspec:\n  containers:\n  - args:\n    - --db=prod-db:5432\n    - $(SVC)\n    - $(UNKNOWN)\n    env:\n    - name: PORT\n      value: 5432\n    image: nginx:1.27\n    name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: prod-db\nspec:\n  ports:\n  - port: 5432\n",
  },
  {
    name: "vars: a configurations file adds varReference field specs for a custom kind",
    files: {
      "/app/kustomization.yaml": "resources:\n- park.yaml\n- cm.yaml\nconfigurations:\n- config.yaml\nvars:\n- name: DIET\n  objref: {kind: ConfigMap, name: food, apiVersion: v1}\n  fieldref: {fieldpath: data.diet}\n",
      "/app/config.yaml": "varReference:\n- path: spec/food\n  kind: AnimalPark\n",
      "/app/park.yaml": "apiVersion: zoo.example.com/v1\nkind: AnimalPark\nmetadata:\n  name: sandiego\nspec:\n  food: [\"$(DIET)\", hay]\n",
      "/app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: food\ndata:\n  diet: mimosa\n",
    },
    output: "apiVersion: zoo.example.com/v1\nkind: AnimalPark\nmetadata:\n  name: sandiego\nspec:\n  food:\n  - mimosa\n  - hay\n---\napiVersion: v1\ndata:\n  diet: mimosa\nkind: ConfigMap\nmetadata:\n  name: food\n",
  },
  {
    name: "replacements: from a file and inline, [key=value], * and index paths, delimiter and index on both sides, create, reject",
    files: {
      "/app/kustomization.yaml": "resources:\n- resources.yaml\nreplacements:\n- path: replacement.yaml\n- source: {kind: Deployment, name: web, fieldPath: 'spec.template.spec.containers.[name=web].image', options: {delimiter: ':', index: 1}}\n  targets:\n  - select: {kind: ConfigMap}\n    reject: [{name: other}]\n    fieldPaths: [data.version]\n    options: {create: true}\n  - select: {kind: Deployment}\n    fieldPaths: [metadata.annotations.chain]\n    options: {delimiter: ',', index: -1, create: true}\n",
      "/app/replacement.yaml": "source:\n  kind: Service\n  name: db\n  fieldPath: spec.ports.0.port\ntargets:\n- select: {kind: Deployment, name: web}\n  fieldPaths:\n  - spec.template.spec.containers.*.env.[name=DB_PORT].value\n  - spec.template.spec.containers.0.ports.0.containerPort\n",
      "/app/resources.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n        env:\n        - {name: DB_PORT, value: 'unset'}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - port: 5432\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
    },
    output: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    chain: 1.27,\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - env:\n        - name: DB_PORT\n          value: \"5432\"\n        image: nginx:1.27\n        name: web\n        ports:\n        - containerPort: 5432\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - port: 5432\n---\napiVersion: v1\ndata:\n  version: 1.27\nkind: ConfigMap\nmetadata:\n  name: settings\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
  },
  {
    name: "builtin transformers and generators by file, by kustomization directory and inline, each with its fieldSpecs",
    files: {
      "/app/kustomization.yaml": "resources:\n- resources.yaml\ntransformers:\n- prefixer.yaml\n- ../shared\n- |-\n  apiVersion: builtin\n  kind: NamespaceTransformer\n  metadata: {name: ns, namespace: shop}\ngenerators:\n- |-\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: settings}\n  literals: [mode=fast]\n",
      "/app/prefixer.yaml": "apiVersion: builtin\nkind: PrefixSuffixTransformer\nmetadata: {name: p}\nprefix: edge-\nfieldSpecs:\n- {kind: Service, path: metadata/name}\n",
      "/shared/kustomization.yaml": "resources:\n- labels.yaml\n- patch.yaml\n",
      "/shared/labels.yaml": "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: l}\nlabels: {team: shop}\nfieldSpecs:\n- {path: metadata/labels, create: true}\n- {kind: Deployment, path: spec/template/metadata/labels, create: true}\n",
      "/shared/patch.yaml": "apiVersion: builtin\nkind: PatchJson6902Transformer\nmetadata: {name: j}\ntarget: {group: apps, version: v1, kind: Deployment, name: web}\njsonOp: '[{\"op\": \"add\", \"path\": \"/spec/replicas\", \"value\": 3}]'\n",
      "/app/resources.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        envFrom:\n        - configMapRef: {name: settings}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
    },
    output: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    team: shop\n  name: web\n  namespace: shop\nspec:\n  replicas: 3\n  template:\n    metadata:\n      labels:\n        team: shop\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef:\n            name: settings-t82mkhg8fd\n        image: nginx:1.27\n        name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    team: shop\n  name: edge-web\n  namespace: shop\n---\napiVersion: v1\ndata:\n  mode: fast\nkind: ConfigMap\nmetadata:\n  labels:\n    team: shop\n  name: settings-t82mkhg8fd\n  namespace: shop\n",
  },
  {
    name: "kustomization field names in any case, as Go reads them",
    files: {
      "/app/kustomization.yaml": "nameprefix: a-\nResources:\n- cm.yaml\n",
      "/app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n",
    },
    output: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a-settings\n",
  },
  {
    name: "buildMetadata: where each object came from (a file of a base, of the overlay, a generator) and the transformers that ran over it, paths from the root",
    files: {
      "/app/kustomization.yaml": "namePrefix: p-\nresources:\n- ../base\n- service.yaml\nconfigMapGenerator:\n- name: settings\n  literals: [mode=fast]\nbuildMetadata: [originAnnotations, transformerAnnotations]\n",
      "/app/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
      "/base/kustomization.yaml": "namespace: shop\nresources:\n- deployment.yaml\n",
      "/base/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
    },
    output: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    alpha.config.kubernetes.io/transformations: |\n      - configuredIn: ../base/kustomization.yaml\n        configuredBy:\n          apiVersion: builtin\n          kind: NamespaceTransformer\n      - configuredIn: kustomization.yaml\n        configuredBy:\n          apiVersion: builtin\n          kind: PrefixTransformer\n    config.kubernetes.io/origin: |\n      path: ../base/deployment.yaml\n  name: p-web\n  namespace: shop\n---\napiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    alpha.config.kubernetes.io/transformations: |\n      - configuredIn: kustomization.yaml\n        configuredBy:\n          apiVersion: builtin\n          kind: PrefixTransformer\n    config.kubernetes.io/origin: |\n      path: service.yaml\n  name: p-web\n---\napiVersion: v1\ndata:\n  mode: fast\nkind: ConfigMap\nmetadata:\n  annotations:\n    alpha.config.kubernetes.io/transformations: |\n      - configuredIn: kustomization.yaml\n        configuredBy:\n          apiVersion: builtin\n          kind: PrefixTransformer\n    config.kubernetes.io/origin: |\n      configuredIn: kustomization.yaml\n      configuredBy:\n        apiVersion: builtin\n        kind: ConfigMapGenerator\n  name: p-settings-t82mkhg8fd\n",
  },
  {
    name: "configurations: nameReference, commonLabels and images field specs for custom kinds; a local-config object serves the build and is not printed",
    files: {
      "/app/kustomization.yaml": "namePrefix: x-\nresources:\n- park.yaml\n- giraffe.yaml\n- local.yaml\nconfigurations:\n- config.yaml\ncommonLabels:\n  zoo: sandiego\nimages:\n- name: keeper\n  newTag: \"2\"\n",
      "/app/config.yaml": "nameReference:\n- kind: Giraffe\n  fieldSpecs:\n  - {kind: AnimalPark, path: spec/giraffeRef/name}\ncommonLabels:\n- {kind: AnimalPark, path: spec/selector/labels, create: true}\nimages:\n- {kind: AnimalPark, path: spec/keeper/image}\n",
      "/app/park.yaml": "apiVersion: zoo.example.com/v1\nkind: AnimalPark\nmetadata:\n  name: sandiego\nspec:\n  giraffeRef: {name: april}\n  keeper: {image: keeper:1}\n",
      "/app/giraffe.yaml": "apiVersion: zoo.example.com/v1\nkind: Giraffe\nmetadata:\n  name: april\n",
      "/app/local.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\n",
    },
    output: "apiVersion: zoo.example.com/v1\nkind: AnimalPark\nmetadata:\n  labels:\n    zoo: sandiego\n  name: x-sandiego\nspec:\n  giraffeRef:\n    name: x-april\n  keeper:\n    image: keeper:2\n  selector:\n    labels:\n      zoo: sandiego\n---\napiVersion: zoo.example.com/v1\nkind: Giraffe\nmetadata:\n  labels:\n    zoo: sandiego\n  name: x-april\n",
  },
];

interface ProblemCase {
  name: string;
  files: Record<string, string>;
  problems: string[];
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    args: ["$(NAME)"]\n';

const problemCases: ProblemCase[] = [
  {
    name: 'a var declared twice in one build',
    files: {
      '/app/kustomization.yaml': 'resources: [../a, ../b]\n',
      '/a/kustomization.yaml': 'resources: [pod.yaml]\nvars:\n- name: NAME\n  objref: {kind: Pod, name: web, apiVersion: v1}\n',
      '/a/pod.yaml': POD,
      '/b/kustomization.yaml': 'namePrefix: b-\nresources: [pod.yaml]\nvars:\n- name: NAME\n  objref: {kind: Pod, name: web, apiVersion: v1}\n',
      '/b/pod.yaml': POD,
    },
    problems: ["error /b/kustomization.yaml:4:3 var 'NAME' already encountered"],
  },
  {
    name: 'a var whose objref matches two resources',
    files: {
      '/app/kustomization.yaml': 'resources: [../a, ../b]\nvars:\n- name: NAME\n  objref: {kind: Pod, name: web, apiVersion: v1}\n',
      '/a/kustomization.yaml': 'resources: [pod.yaml]\n',
      '/a/pod.yaml': POD,
      '/b/kustomization.yaml': 'namePrefix: b-\nresources: [pod.yaml]\n',
      '/b/pod.yaml': POD,
    },
    problems: ['error /app/kustomization.yaml:3:3 found 2 resources for var NAME (unable to disambiguate; give the objref a namespace)'],
  },
  {
    name: 'a var whose objref matches nothing',
    files: { '/app/kustomization.yaml': 'resources: [pod.yaml]\nvars:\n- name: NAME\n  objref: {kind: Service, name: web}\n', '/app/pod.yaml': POD },
    problems: ['error /app/kustomization.yaml:3:3 var NAME cannot be mapped to a field in the set of known resources'],
  },
  {
    name: 'a replacement source that selects nothing, and a target field that is missing without create',
    files: {
      '/app/kustomization.yaml': [
        'resources: [pod.yaml]',
        'replacements:',
        '- source: {kind: Service, name: db}',
        '  targets: [{select: {kind: Pod}, fieldPaths: [metadata.name]}]',
        '- source: {kind: Pod, name: web}',
        '  targets: [{select: {kind: Pod}, fieldPaths: [spec.hostname]}]',
        '',
      ].join('\n'),
      '/app/pod.yaml': POD,
    },
    problems: [
      'error /app/kustomization.yaml:3:11 No resource matches the replacement source kind=Service, name=db',
      'error /app/kustomization.yaml:6:48 Unable to find field "spec.hostname" in replacement target',
    ],
  },
  {
    name: 'a plugin that is not builtin is said, and the build goes on',
    files: { '/app/kustomization.yaml': 'resources: [pod.yaml]\ntransformers:\n- |-\n  apiVersion: example.com/v1\n  kind: Sealer\n  metadata: {name: s}\n', '/app/pod.yaml': POD },
    problems: ['warning /app/kustomization.yaml:5:9 Sealer is a plugin or KRM function, which is not run; the build goes on without it'],
  },
  {
    name: 'a patch that two objects of one name match, an empty patchesStrategicMerge file, a Component of the wrong apiVersion',
    files: {
      '/app/kustomization.yaml': 'resources: [../a, ../b]\ncomponents: [../c]\npatchesStrategicMerge: [empty.yaml]\npatches:\n- patch: |-\n    apiVersion: v1\n    kind: Pod\n    metadata: {name: web}\n    spec: {hostname: x}\n',
      '/app/empty.yaml': '# nothing yet\n',
      '/a/kustomization.yaml': 'resources: [pod.yaml]\n',
      '/a/pod.yaml': POD,
      '/b/kustomization.yaml': 'nameSuffix: -b\nresources: [pod.yaml]\n',
      '/b/pod.yaml': POD,
      '/c/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Component\n',
    },
    problems: [
      'error /c/kustomization.yaml:1:13 apiVersion for Component should be kustomize.config.k8s.io/v1alpha1, not kustomize.config.k8s.io/v1beta1',
      'error /app/kustomization.yaml:3:25 The patch appears to be empty',
      'error /app/kustomization.yaml:8:22 2 resources match the patch for Pod web; it must match one (give it a target)',
    ],
  },
  {
    name: 'sortOptions and openapi that Kustomize refuses, buildMetadata managedByLabel',
    files: {
      '/app/kustomization.yaml': 'resources: [pod.yaml]\nsortOptions: {order: fifo, legacySortOptions: {orderFirst: [Pod]}}\nopenapi: {version: v1.14.1}\nbuildMetadata: [managedByLabel]\n',
      '/app/pod.yaml': POD,
    },
    problems: [
      "error /app/kustomization.yaml:2:47 the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'",
      'error /app/kustomization.yaml:3:20 openapi: v1.14.1 is not a builtin Kubernetes version (v1.21.2)',
      'warning /app/kustomization.yaml:3:10 openapi: custom OpenAPI schemas are not read; the build goes on without it',
      'warning /app/kustomization.yaml:4:17 buildMetadata managedByLabel: the app.kubernetes.io/managed-by label is not added; the build goes on without it',
    ],
  },
  {
    name: 'a subject whose namespace is blank, a reference two objects of one name could satisfy',
    files: {
      '/app/kustomization.yaml': 'resources: [../a, ../b, binding.yaml]\n',
      '/a/kustomization.yaml': 'namespace: a\nresources: [account.yaml]\n',
      '/a/account.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n',
      '/b/kustomization.yaml': 'namespace: b\nresources: [account.yaml]\n',
      '/b/account.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n',
      '/app/binding.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: read}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects:\n- {kind: ServiceAccount, name: sa, namespace: }\n- {kind: ServiceAccount, name: sa}\n',
    },
    problems: [
      'error Invalid input: namespace is blank for ServiceAccount sa in ClusterRoleBinding read',
      'error ClusterRoleBinding read refers to ServiceAccount sa, which is more than one object: sa in a, sa in b',
    ],
  },
];

function describeProblem(files: Record<string, string>, problem: { severity: string; message: string; span?: { file: string; start: number } }): string {
  if (!problem.span) return `${problem.severity} ${problem.message}`;
  const before = files[problem.span.file].slice(0, problem.span.start).split('\n');
  return `${problem.severity} ${problem.span.file}:${before.length}:${before[before.length - 1].length + 1} ${problem.message}`;
}

describe('Kustomize fields: vars, replacements, builtin transformers and generators, configurations, buildMetadata', () => {
  for (const c of cases) {
    it(c.name, () => {
      const build = buildKustomization('/app', memoryTree(c.files), { reorder: 'none' });
      assert.deepEqual(build.problems, []);
      assert.equal(printBuild(build), c.output);
    });
  }
  for (const c of problemCases) {
    it(`reports ${c.name}`, () => {
      const build = buildKustomization('/app', memoryTree(c.files), { reorder: 'none' });
      assert.deepEqual(build.problems.map((problem) => describeProblem(c.files, problem)), c.problems);
    });
  }
});
