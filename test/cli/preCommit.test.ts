// The pre-commit hook, run the way pre-commit runs it (pre-commit itself is not needed): the hook repository
// installed as an npm package, then the entry run in the repository being committed, with the staged files
// that the hook's `types` select as arguments.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { installedPackage, ROOT, run } from './npmPackage';

interface Hook { id: string; entry: string; language: string; types?: string[]; args?: string[] }

/** The file types of pre-commit's `identify` that a hook can select, by file extension (only those used here). */
const TYPES_BY_EXTENSION: Record<string, string[]> = { yaml: ['text', 'yaml'], yml: ['text', 'yaml'], md: ['text', 'markdown'] };

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n';
const SAFE_POD = POD + '    securityContext: {readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n'
  + '    volumeMounts: [{name: cache, mountPath: /var/cache/nginx}, {name: run, mountPath: /var/run}]\n';

function gitRepository(files: Record<string, string>, staged: string[]): string {
  const repo = mkdtempSync(join(tmpdir(), 'kube-immutable-pre-commit-'));
  const git = (...args: string[]) => assert.equal(run('git', args, repo).status, 0, `git ${args.join(' ')}`);
  git('init', '-q');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, name)), { recursive: true });
    writeFileSync(join(repo, name), text);
  }
  git('add', '--', ...staged);
  return repo;
}

/** What pre-commit does on `git commit`: the staged files the hook's types select, passed to its entry. */
function runHook(hook: Hook, repo: string) {
  const staged = run('git', ['diff', '--staged', '--name-only', '--diff-filter=ACMRTUXB', '-z'], repo).stdout.split('\0').filter(Boolean);
  const selected = staged.filter(file => {
    const types = TYPES_BY_EXTENSION[file.slice(file.lastIndexOf('.') + 1)] ?? [];
    return (hook.types ?? []).every(type => types.includes(type));
  });
  const [command, ...entryArgs] = hook.entry.split(' ');
  const bin = join(installedPackage().project, 'node_modules', '.bin');
  return run(command, [...entryArgs, ...(hook.args ?? []), ...selected], repo, { PATH: `${bin}${delimiter}${process.env.PATH}` });
}

/** `file:line:col severity rule` of each finding line of the text output, without the message. */
function findingLines(stdout: string): string[] {
  return stdout.split('\n').filter(line => / (warning|error|info|hint) /.test(line))
    .map(line => line.replace(/^(\S+ \w+) .* (\S+)$/, '$1 $2'));
}

describe('pre-commit hook', function () {
  this.timeout(60000);
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const hook = hooks.find(h => h.id === 'kube-immutable')!;

  it('is a node hook on YAML files that runs the CLI', () => {
    assert.deepEqual(hooks.map(h => h.id), ['kube-immutable']);
    assert.equal(hook.language, 'node');
    assert.deepEqual(hook.types, ['yaml']);
    const { bin } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.ok(bin[hook.entry], `the entry ${hook.entry} is a bin of the package`);
  });

  it('lints the staged YAML files with the staged configuration, skipping excluded paths and chart templates, and fails the commit on a warning', () => {
    const repo = gitRepository({
      '.kube-immutable.yaml': 'rules:\n  capabilities: off\nexclude: [vendor/**]\n',
      'k8s/web.yaml': POD,
      'k8s/safe.yml': SAFE_POD,
      'k8s/draft.yaml': POD,
      'vendor/upstream.yaml': POD,
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'chart/templates/pod.yaml': POD.replace('name: web}', 'name: {{ .Release.Name }}}'),
      'README.md': '# not YAML\n',
    }, ['.kube-immutable.yaml', 'k8s/web.yaml', 'k8s/safe.yml', 'vendor/upstream.yaml', 'chart', 'README.md']);
    const result = runHook(hook, repo);
    assert.equal(result.stderr, '');
    assert.equal(result.status, 1);
    assert.deepEqual(findingLines(result.stdout), [
      'k8s/web.yaml:6:5 warning readonly-root-filesystem',
      'k8s/web.yaml:6:5 warning run-as-root',
      'k8s/web.yaml:6:5 warning privilege-escalation',
    ]);
    // web.yaml, safe.yml, Chart.yaml and the template; not the configuration file, nor the excluded vendor file.
    assert.match(result.stdout, /\n\n3 problems \(0 error, 3 warning, 0 info, 0 hint\) in 4 files\nSkipped 1 Helm chart template file and 0 documents /);
  });

  it('lets a commit of hardened manifests pass', () => {
    const repo = gitRepository({ 'k8s/safe.yml': SAFE_POD, 'k8s/web.yaml': POD }, ['k8s/safe.yml']);
    assert.deepEqual(runHook(hook, repo), { status: 0, stdout: '\nNo problems in 1 file\n', stderr: '' });
  });
});
