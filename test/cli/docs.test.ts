// The README and the pages under docs/ against the code: every configuration example is read by the config
// loader and used by the CLI, every CLI flag they name is one the CLI takes and is run here as written, and
// every setting they name is one the extension contributes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { parseConfigFile, RULES } from '../../server/src/engine';
import { ROOT } from './npmPackage';

const CLI = join(ROOT, 'dist', 'cli.js');
const DOCS = ['README.md', 'CHANGELOG.md', ...readdirSync(join(ROOT, 'docs')).filter(name => name.endsWith('.md')).map(name => `docs/${name}`),
  ...readdirSync(join(ROOT, 'docs', 'rules')).filter(name => name.endsWith('.md')).map(name => `docs/rules/${name}`)];
const CONFIG_KEYS = Object.keys(JSON.parse(readFileSync(join(ROOT, 'schemas', 'kube-immutable.schema.json'), 'utf8')).properties);
/** The first line of a fenced YAML block that is a `.kube-immutable.yaml`. */
const CONFIG_MARKER = '# .kube-immutable.yaml';

interface Snippet { at: string; text: string }

/** The fenced blocks (with their language) and the inline code spans of each page, with `file:line`. */
function snippets(): { fences: (Snippet & { lang: string })[]; spans: Snippet[] } {
  const fences: (Snippet & { lang: string })[] = [];
  const spans: Snippet[] = [];
  for (const file of DOCS) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(\w*)\s*$/.exec(lines[i]);
      if (open) {
        const end = lines.indexOf('```', i + 1);
        fences.push({ at: `${file}:${i + 2}`, lang: open[1], text: lines.slice(i + 1, end).join('\n') + '\n' });
        i = end;
        continue;
      }
      for (const match of lines[i].matchAll(/`([^`]+)`/g)) spans.push({ at: `${file}:${i + 1}`, text: match[1] });
    }
  }
  return { fences, spans };
}

const { fences, spans } = snippets();

function cli(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...options });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-docs-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n';

describe('docs: configuration examples', () => {
  const blocks = fences.filter(fence => fence.lang === 'yaml' && fence.text.startsWith(`${CONFIG_MARKER}\n`));
  const inline = spans.filter(span => CONFIG_KEYS.some(key => span.text.startsWith(`${key}: `)));
  const examples = [...blocks, ...inline];

  it('marks every YAML block made of configuration keys as a .kube-immutable.yaml', () => {
    const unmarked = fences.filter(fence => {
      if (fence.lang !== 'yaml' || blocks.includes(fence)) return false;
      const value = parse(fence.text);
      return value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).every(key => CONFIG_KEYS.includes(key));
    });
    assert.deepEqual(unmarked.map(fence => fence.at), []);
  });

  it('shows every configuration key in an example', () => {
    const shown = new Set(examples.flatMap(example => Object.keys(parse(example.text) ?? {})));
    assert.deepEqual(CONFIG_KEYS.filter(key => !shown.has(key)), []);
    assert.ok(blocks.length >= 2 && inline.length >= 4, `${blocks.length} blocks and ${inline.length} inline examples found`);
  });

  for (const example of examples) {
    const firstLine = example.text.split('\n').find(line => line && !line.startsWith('#'))!.replace(/\s+#.*$/, '');
    it(`${example.at}: ${firstLine} ... is read without a problem and used by the CLI`, () => {
      assert.deepEqual(parseConfigFile(example.text).problems, []);
      const dir = project({ '.kube-immutable.yaml': example.text, 'pod.yaml': POD });
      const result = cli(['--format', 'json', dir]);
      assert.equal(result.stderr, '');
      assert.ok(result.status === 0 || result.status === 1, `exit status ${result.status}`);
      const withExplicitConfig = cli(['--format', 'json', '--config', join(dir, '.kube-immutable.yaml'), join(dir, 'pod.yaml')]);
      assert.deepEqual(JSON.parse(withExplicitConfig.stdout).findings, JSON.parse(result.stdout).findings);
    });
  }
});

describe('docs: image-write-paths.md, adding your own images', () => {
  const example = fences.find(fence => fence.at.startsWith('docs/image-write-paths.md:') && fence.text.startsWith(CONFIG_MARKER))!;
  const SHOP = [
    'apiVersion: v1', 'kind: Pod', 'metadata: {name: shop}', 'spec:', '  containers:',
    '  - name: web', '    image: registry.example.com/shop/web:2.1', '    securityContext: {readOnlyRootFilesystem: true}',
    '  - name: proxy', '    image: nginx:1.27', '    securityContext: {readOnlyRootFilesystem: true}',
    '    volumeMounts: [{name: cache, mountPath: /var/cache/nginx}, {name: run, mountPath: /var/run}]',
    '  volumes: [{name: cache, emptyDir: {}}, {name: run, emptyDir: {}}]', '',
  ].join('\n');
  const ONLY = ['--rule', 'run-as-root=off', '--rule', 'privilege-escalation=off', '--rule', 'capabilities=off'];

  it('adds an image, and replaces the built-in paths of one it knows', () => {
    const dir = project({ '.kube-immutable.yaml': example.text, 'shop.yaml': SHOP });
    const { status, stdout } = cli(['--format', 'json', ...ONLY, dir]);
    assert.equal(status, 1);
    const findings = JSON.parse(stdout).findings as { rule: string; line: number; column: number; message: string }[];
    assert.deepEqual(findings.map(f => `${f.rule} ${f.line}:${f.column} ${f.message.match(/ \/[\w/]+ \(/g)!.join('')}`), [
      'writable-paths-unmounted 7:12  /var/cache/web ( /tmp (',
      'writable-paths-unmounted 10:12  /srv/cache (',
    ]);
  });

  it('stops checking the built-in paths of nginx when its entry leaves them out', () => {
    const dir = project({ '.kube-immutable.yaml': 'imageWritePaths:\n  nginx: [/srv/cache]\n', 'pod.yaml': POD.replace('    image: nginx:1.27\n', '    image: nginx:1.27\n    securityContext: {readOnlyRootFilesystem: true}\n') });
    const findings = JSON.parse(cli(['--format', 'json', ...ONLY, dir]).stdout).findings as { rule: string; message: string }[];
    assert.deepEqual(findings.map(f => `${f.rule}${f.message.match(/ \/[\w/]+ \(/g)!.join('')}`), ['writable-paths-unmounted /srv/cache (']);
  });

  it('lets the fix add an emptyDir volume for each path', () => {
    const dir = project({ '.kube-immutable.yaml': example.text, 'shop.yaml': SHOP });
    cli(['--fix', ...ONLY, dir]);
    const fixed = parse(readFileSync(join(dir, 'shop.yaml'), 'utf8'));
    const mounts = fixed.spec.containers.map((c: { volumeMounts?: { mountPath: string }[] }) => (c.volumeMounts ?? []).map(m => m.mountPath));
    assert.deepEqual(mounts, [['/var/cache/web', '/tmp'], ['/var/cache/nginx', '/var/run', '/srv/cache']]);
    assert.deepEqual(cli([...ONLY, dir]), { status: 0, stdout: '\nNo problems in 1 file\n', stderr: '' });
  });

  it('takes a relative path for a configuration error on its line', () => {
    const dir = project({ '.kube-immutable.yaml': 'imageWritePaths:\n  myapp: [data]\n', 'pod.yaml': POD });
    const result = cli([dir]);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `kube-immutable: ${join(dir, '.kube-immutable.yaml')}:2:11: "data" is not an absolute path.\n`);
  });
});

describe('docs: CLI flags', () => {
  const usage = fences.find(fence => fence.at.startsWith('README.md:') && fence.text.startsWith('kube-immutable [options]'))!;
  const flagsOf = (text: string) => [...text.matchAll(/^ +(?:-\w, )?(--[a-z-]+)/gm)].map(match => match[1]);
  const readmeFlags = flagsOf(usage.text);
  const manifest = () => project({ 'pod.yaml': POD });
  /** One run per flag of the README's usage block, written as the README writes it. */
  /** The findings of a chart linted with chart flags: its values decide readOnlyRootFilesystem and the name. */
  function chartLint(flags: string[]): { rule: string; resource: { name: string; namespace?: string } }[] {
    const dir = project({
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'chart/values.yaml': 'readOnly: false\nname: web\n',
      'chart/strict.yaml': 'readOnly: true\n',
      'chart/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-{{ .Values.name }}-{{ .Capabilities.KubeVersion.Minor }}\n  namespace: {{ .Release.Namespace }}\n'
        + `spec:\n  containers:\n    - name: app\n      image: registry.example.com/app@sha256:${'0'.repeat(64)}\n      securityContext:\n        readOnlyRootFilesystem: {{ .Values.readOnly }}\n`,
    });
    const result = cli(['--format', 'json', ...flags, 'chart'], { cwd: dir });
    assert.notEqual(result.status, 2, result.stderr);
    return JSON.parse(result.stdout).findings;
  }

  const RUNS: Record<string, () => void> = {
    '--format': () => {
      const dir = manifest();
      const formats = /^ +--format ([\w|]+)/m.exec(usage.text)![1].split('|');
      assert.deepEqual(formats, ['text', 'json', 'sarif', 'codequality']);
      for (const format of formats) assert.equal(cli(['--format', format, dir]).status, 1, `--format ${format}`);
      assert.match(cli(['--format', 'text', dir]).stdout, /\n4 problems \(0 error, 4 warning, 0 info, 0 hint\) in 1 file\n$/);
      assert.equal(JSON.parse(cli(['--format', 'json', dir]).stdout).findings.length, 4);
      assert.equal(JSON.parse(cli(['--format', 'sarif', dir]).stdout).runs[0].results.length, 4);
    },
    '--config': () => {
      const dir = project({ 'pod.yaml': POD, 'lenient.yaml': 'rules:\n  capabilities: off\n' });
      assert.equal(JSON.parse(cli(['--format', 'json', '--config', join(dir, 'lenient.yaml'), join(dir, 'pod.yaml')]).stdout).findings.length, 3);
    },
    '--max-warnings': () => {
      assert.equal(cli(['--max-warnings', '4', manifest()]).status, 0);
      const over = cli(['--max-warnings', '3', manifest()]);
      assert.equal(over.status, 1);
      assert.equal(over.stderr, 'kube-immutable: 4 warnings, more than --max-warnings 3\n');
    },
    '--all-rules': () => {
      const dir = project({ 'pod.yaml': POD, '.kube-immutable.yaml': 'rules:\n  capabilities: off\n' });
      assert.equal(JSON.parse(cli(['--format', 'json', dir]).stdout).findings.length, 3);
      assert.equal(JSON.parse(cli(['--format', 'json', '--all-rules', dir]).stdout).findings.length, 4);
    },
    '--rule': () => {
      // Every `--rule <id>=<severity>` the docs write, as they write it.
      const written = spans.filter(span => span.text.startsWith('--rule ')).map(span => span.text.split(' ')[1]);
      assert.ok(written.length >= 2);
      for (const setting of written) assert.notEqual(cli(['--rule', setting, manifest()]).status, 2, `--rule ${setting}`);
      const { stdout } = cli(['--format', 'json', '--rule', 'capabilities=off', '--rule', 'run-as-root=hint', manifest()]);
      assert.deepEqual(JSON.parse(stdout).findings.map((f: { rule: string; severity: string }) => `${f.rule} ${f.severity}`),
        ['readonly-root-filesystem warning', 'run-as-root hint', 'privilege-escalation warning']);
    },
    '--values': () => assert.deepEqual(chartLint(['--values', 'chart/strict.yaml']).map(f => f.rule), ['run-as-root', 'privilege-escalation', 'capabilities']),
    '--set': () => assert.deepEqual(chartLint(['--set', 'readOnly=true']).map(f => f.rule), ['run-as-root', 'privilege-escalation', 'capabilities']),
    '--set-string': () => assert.equal(chartLint(['--set-string', 'name=7'])[0].resource.name, 'release-name-7-32'),
    '--release-name': () => assert.equal(chartLint(['--release-name', 'prod'])[0].resource.name, 'prod-web-32'),
    '--namespace': () => assert.equal(chartLint(['--namespace', 'shop'])[0].resource.namespace, 'shop'),
    '--kube-version': () => assert.equal(chartLint(['--kube-version', '1.29.0'])[0].resource.name, 'release-name-web-29'),
    '--fix': () => {
      const dir = manifest();
      const result = cli(['--fix', join(dir, 'pod.yaml')]);
      assert.match(result.stderr, /^Fixed \d+ problems? \(.*\) in /);
      assert.notEqual(readFileSync(join(dir, 'pod.yaml'), 'utf8'), POD);
    },
    '--no-kustomize': () => {
      // Through its kustomization, the container's missing fields are reported in the patch that writes the
      // container, once; with --no-kustomize every file is linted on its own, the partial patch as a Deployment too.
      const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        securityContext: {privileged: false}\n';
      const dir = project({
        'kustomization.yaml': 'resources: [deployment.yaml]\npatches: [{path: patch.yaml}]\n',
        'deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n',
        'patch.yaml': patch,
      });
      const files = (args: string[]) => [...new Set(JSON.parse(cli(['--format', 'json', ...args, dir]).stdout).findings.map((f: { file: string }) => basename(f.file)))].sort();
      assert.deepEqual(files([]), ['patch.yaml']);
      assert.deepEqual(files(['--no-kustomize']), ['deployment.yaml', 'patch.yaml']);
    },
    '--jobs': () => {
      const dir = project({ 'a.yaml': POD, 'b.yaml': POD, 'c.yaml': POD });
      const one = cli(['--format', 'json', '--jobs', '1', dir]);
      assert.equal(JSON.parse(one.stdout).findings.length, 12);
      assert.deepEqual(cli(['--format', 'json', '--jobs', '2', dir]), one);
    },
    '--max-file-size': () => {
      const dir = project({ 'pod.yaml': POD });
      const skipped = cli(['--max-file-size', '4', dir]);
      assert.equal(skipped.stderr, `kube-immutable: ${join(dir, 'pod.yaml')}: skipped, ${Buffer.byteLength(POD)} bytes is more than --max-file-size 4\n`);
      assert.equal(skipped.stdout, '\nNo problems in 0 files\n');
      assert.equal(cli(['--max-file-size', '4194304', dir]).status, 1);
    },
    '--list-rules': () => {
      const listed = cli(['--list-rules']).stdout.split('\n').filter(Boolean).map(line => line.split(' ')[0]);
      assert.deepEqual(RULES.map(rule => rule.meta.id).filter(id => !listed.includes(id)), []);
    },
    '--help': () => assert.match(cli(['--help']).stdout, /^Usage: kube-immutable \[options\] <file\|dir\|->\.\.\./),
    '--version': () => assert.equal(cli(['--version']).stdout, `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`),
  };

  it('lists in the README exactly the flags of kube-immutable --help', () => {
    assert.deepEqual([...readmeFlags].sort(), flagsOf(cli(['--help']).stdout).sort());
  });

  it('runs each flag of the README', () => {
    assert.deepEqual(Object.keys(RUNS).sort(), [...readmeFlags].sort());
  });

  for (const [flag, runFlag] of Object.entries(RUNS)) it(`${flag} works as the README says`, runFlag);

  it('names no other flag of ours anywhere', () => {
    // Flags of other programs that the pages quote, and of the fuzzer (test/fuzz/main.ts).
    const others: Record<string, string> = {
      '--optimize-for-size': 'V8', '--heap-growing-percent': 'V8', '--appendonly': 'redis-server', '--save': 'redis-server', '--copy-to': 'kubectl debug',
      '--recursive': 'chmod', '--install-extension': 'code', '--save-dev': 'npm install', '--package': 'npx',
      '--stdio': 'kube-immutable-language-server', '--untar': 'helm pull',
      '--cases': 'the fuzzer', '--seed': 'the fuzzer', '--case': 'the fuzzer', '--templates': 'the fuzzer', '--no-config': 'mocha',
    };
    // The flags of `kube-immutable render` for charts, each run by the test below.
    for (const flag of renderFlags) others[flag] = 'kube-immutable render';
    const fuzzer = readFileSync(join(ROOT, 'test', 'fuzz', 'main.ts'), 'utf8');
    for (const flag of Object.keys(others).filter(flag => others[flag] === 'the fuzzer')) assert.ok(fuzzer.includes(`case '${flag}':`), `the fuzzer takes ${flag}`);
    const named = [...spans, ...fences].flatMap(snippet => [...snippet.text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map(match => `${match[0]} ${snippet.at}`));
    assert.deepEqual(named.filter(entry => !readmeFlags.includes(entry.split(' ')[0]) && !(entry.split(' ')[0] in others)), []);
  });
});

/** The flags of the README's `kube-immutable render <chart...>` usage block. */
const renderUsage = fences.find(fence => fence.at.startsWith('README.md:') && fence.text.startsWith('kube-immutable render <chart-dir'));
const renderFlags = renderUsage ? [...renderUsage.text.matchAll(/\[(--[a-z-]+)/g)].map(match => match[1]) : [];

describe('docs: kube-immutable render flags', () => {
  const CHART: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'values.yaml': 'tag: "1.27"\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\ndata:\n  tag: {{ .Values.tag | quote }}\n  kube: {{ .Capabilities.KubeVersion.Minor | quote }}\n  test: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}\n',
    'templates/test.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n',
    'crds/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: xs.example.com\n',
    'other-values.yaml': 'tag: "2.0"\n',
  };
  const RUNS: Record<string, (dir: string) => void> = {
    '--release-name': dir => assert.match(render(dir, ['--release-name', 'prod']), /name: prod\n/),
    '--namespace': dir => assert.match(render(dir, ['--namespace', 'apps']), /namespace: apps\n/),
    '--set': dir => assert.match(render(dir, ['--set', 'tag=3']), /tag: "3"\n/),
    '--set-string': dir => assert.match(render(dir, ['--set-string', 'tag=4']), /tag: "4"\n/),
    '--kube-version': dir => assert.match(render(dir, ['--kube-version', '1.29.0']), /kube: "29"\n/),
    '--api-versions': dir => assert.match(render(dir, ['--api-versions', 'example.com/v1']), /test: "true"\n/),
    '--show-only': dir => assert.doesNotMatch(render(dir, ['--show-only', 'templates/cm.yaml']), /kind: Pod/),
    '--include-crds': dir => assert.match(render(dir, ['--include-crds']), /kind: CustomResourceDefinition/),
    '--skip-tests': dir => assert.doesNotMatch(render(dir, ['--skip-tests']), /kind: Pod/),
    '--no-hooks': dir => assert.doesNotMatch(render(dir, ['--no-hooks']), /kind: Pod/),
    '--debug': dir => assert.match(render(dir, ['--debug']), /kind: ConfigMap/),
  };
  function render(dir: string, args: string[]): string {
    const result = cli(['render', dir, ...args]);
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  }

  it('runs each flag of the README\'s render usage, and -f', () => {
    assert.deepEqual(Object.keys(RUNS).sort(), [...renderFlags].sort());
    const dir = project(CHART);
    for (const [flag, run] of Object.entries(RUNS)) {
      try { run(dir); } catch (error) { throw new Error(`${flag}: ${(error as Error).message}`); }
    }
    assert.match(render(dir, ['-f', join(dir, 'other-values.yaml')]), /tag: "2.0"\n/);
  });
});

describe('docs: the README', () => {
  it('shows what the CLI prints on the bundled examples, as it prints it', () => {
    const sample = fences.find(fence => fence.at.startsWith('README.md:') && fence.text.startsWith('examples/'))!;
    const printed = cli(['examples/'], { cwd: ROOT }).stdout.split('\n');
    // The sample cuts long messages (`: ... rule`) and leaves lines out (`...`); the rest is as printed, in order.
    let at = 0;
    for (const line of sample.text.trimEnd().split('\n').filter(line => line !== '...')) {
      const [head, tail] = line.split(' ... ');
      const found = printed.findIndex((candidate, i) => i >= at && (tail === undefined ? candidate === head : candidate.startsWith(head) && candidate.endsWith(` ${tail}`)));
      assert.ok(found >= 0, `not printed (in this order): ${line}`);
      at = found + 1;
    }
  });
});

describe('docs: npm scripts', () => {
  it('names only scripts that package.json has', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const named = [...spans, ...fences].flatMap(snippet => [...snippet.text.matchAll(/npm run ([\w:-]+)/g)].map(match => `${match[1]} ${snippet.at}`));
    assert.ok(named.length >= 5, `${named.length} scripts named`);
    assert.deepEqual(named.filter(entry => !(entry.split(' ')[0] in scripts)), []);
  });
});

describe('docs: settings', () => {
  const contributed = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties);
  const named = spans.filter(span => span.text.startsWith('kubeImmutable.'));

  it('names only settings the extension contributes', () => {
    const expand = (name: string) => {
      if (name === 'kubeImmutable.rules.<rule>') return RULES.map(rule => `kubeImmutable.rules.${rule.meta.id}`);
      if (name === 'kubeImmutable.*') return contributed.length ? [] : [name];
      return [name];
    };
    assert.deepEqual(named.flatMap(span => expand(span.text)).filter(name => !contributed.includes(name)), []);
  });

  it('lists every contributed setting but the trace in the README', () => {
    const listed = new Set(named.filter(span => span.at.startsWith('README.md:')).map(span => span.text));
    const missing = contributed.filter(name => name !== 'kubeImmutable.trace.server'
      && !listed.has(name) && !(name.startsWith('kubeImmutable.rules.') && listed.has('kubeImmutable.rules.<rule>')));
    assert.deepEqual(missing, []);
  });
});
