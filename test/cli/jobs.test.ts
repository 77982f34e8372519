// Files linted across worker threads print what one thread prints, byte for byte, in every format, and
// --max-file-size skips what is larger, saying so.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function run(args: string[], cwd: string, input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kube-immutable-jobs-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const pod = (name: string, namespace = 'default') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  containers:\n  - name: ${name}\n    image: nginx\n`;

/**
 * Every kind of input the CLI treats apart, enough plain files that the threads finish out of order, and enough
 * text (a large ConfigMap) that the CLI starts threads for it.
 */
const MIXED: Record<string, string> = {
  'd-settings.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata:\n${Array.from({ length: 6000 }, (_, i) => `  key-${i}: "${'x'.repeat(40)}"\n`).join('')}`,
  '.kube-immutable.yaml': 'rules:\n  mutable-image-reference: error\n',
  'a-broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: [broken\n',
  // The Namespace comes after the pod that lands in it: the labels still apply.
  'b-shop-pod.yaml': pod('shop-web', 'shop'),
  'z-namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n',
  'c-suppressed.yaml': `# kube-immutable-ignore-file readonly-root-filesystem,run-as-root -- a vendor image\n${pod('vendor')}`,
  'kustomize/base/kustomization.yaml': 'resources:\n- pod.yaml\n',
  'kustomize/base/pod.yaml': pod('base'),
  'kustomize/overlay/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: prod-\n',
  'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 1.0.0\n',
  'chart/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n',
  ...Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`many/pod-${String(i).padStart(2, '0')}.yaml`, pod(`p${i}`)])),
};

describe('CLI --jobs', function () {
  this.timeout(60000);

  for (const format of ['text', 'json', 'sarif', 'codequality']) {
    it(`prints the same ${format} with 2 threads as with 1 on a mixed folder`, () => {
      const root = tree(MIXED);
      const one = run(['--format', format, '--jobs', '1', '.'], root);
      const two = run(['--format', format, '--jobs', '2', '.'], root);
      assert.equal(one.status, 1, one.stderr);
      assert.deepEqual(two, one);
    });
  }

  /**
   * Hundreds of small files, so that each thread gets many batches and the batches come back out of order, beside
   * a large one; a file too large, skipped; a chart template given on its own, skipped; a file given twice.
   */
  const MANY: Record<string, string> = {
    ...MIXED,
    'huge.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n${Array.from({ length: 9000 }, (_, i) => `  key-${i}: "${'y'.repeat(50)}"\n`).join('')}`,
    ...Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`more/pod-${String(i).padStart(3, '0')}.yaml`, i % 50 === 7 ? 'kind: Pod\nspec: {containers: [oops\n' : pod(`m${i}`)])),
  };
  const MANY_ARGS = ['--max-file-size', '500000', '.', 'chart/templates/pod.yaml', 'more/pod-123.yaml'];

  for (const format of ['text', 'json', 'sarif', 'codequality']) {
    it(`prints the same ${format} with 2 threads as with 1 over many batches, with skipped files and a file given twice`, () => {
      const root = tree(MANY);
      const one = run(['--format', format, '--jobs', '1', ...MANY_ARGS], root);
      const two = run(['--format', format, '--jobs', '2', ...MANY_ARGS], root);
      assert.equal(one.status, 1, one.stderr);
      assert.equal(one.stderr, `kube-immutable: huge.yaml: skipped, ${Buffer.byteLength(MANY['huge.yaml'])} bytes is more than --max-file-size 500000\n`);
      assert.deepEqual(two, one);
    });
  }

  it('lints in this thread beside jobs - 1 worker threads', () => {
    const root = tree(MANY);
    // Loaded before the CLI: counts the workers it starts, in a file named by the environment.
    const counter = join(root, 'count-workers.js');
    writeFileSync(counter, `const threads = require('node:worker_threads');
if (threads.isMainThread) {
  let started = 0;
  const Worker = threads.Worker;
  threads.Worker = class extends Worker { constructor(...args) { super(...args); started++; } };
  process.on('exit', () => require('node:fs').writeFileSync(process.env.WORKERS_STARTED, String(started)));
}
`);
    const one = run(['--jobs', '1', ...MANY_ARGS], root);
    for (const [jobs, workers] of [['1', '0'], ['2', '1'], ['3', '2']]) {
      const count = join(root, `workers-${jobs}`);
      const result = spawnSync(process.execPath, ['--require', counter, CLI, '--jobs', jobs, ...MANY_ARGS], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, WORKERS_STARTED: count } });
      assert.equal(readFileSync(count, 'utf8'), workers, `--jobs ${jobs}`);
      assert.deepEqual({ status: result.status, stdout: result.stdout, stderr: result.stderr }, one);
    }
  });

  it('reports the files of many batches in the order given, each once for each time it is given', () => {
    const { stdout } = run(['--jobs', '2', ...MANY_ARGS], tree(MANY));
    const files = stdout.split('\n').filter(line => /^\S+:\d+:\d+ /.test(line)).map(line => line.split(':')[0]);
    const order = files.filter((file, i) => file !== files[i - 1]);
    const more = Array.from({ length: 600 }, (_, i) => `more/pod-${String(i).padStart(3, '0')}.yaml`);
    assert.deepEqual(order, ['kustomize/base/pod.yaml', 'a-broken.yaml', 'b-shop-pod.yaml', 'c-suppressed.yaml',
      ...Array.from({ length: 24 }, (_, i) => `many/pod-${String(i).padStart(2, '0')}.yaml`), ...more, 'more/pod-123.yaml']);
    // A broken file has one finding, parse-error; the others five each.
    assert.equal(files.filter(file => file === 'more/pod-007.yaml').length, 1);
    assert.equal(files.filter(file => file === 'more/pod-123.yaml').length, 10);
    // MIXED gives 135 problems in 34 files (the chart's two and the Kustomize tree's two kustomization files among them); each sound pod in more/ five, one of them an error (the configuration's
    // mutable-image-reference), and a broken one its parse-error; the chart template counts as a file.
    assert.equal(stdout.slice(stdout.lastIndexOf('\n\n')), '\n\n3092 problems (630 error, 2462 warning, 0 info, 0 hint) in 636 files\n'
      + 'Skipped 1 Helm chart template file and 0 documents with template actions; lint a rendered chart with: helm template . | kube-immutable -\n');
  });

  it('reports what each kind of input gives, in the order of the files, with 2 threads', () => {
    const { status, stdout, stderr } = run(['--jobs', '2', '.'], tree(MIXED));
    assert.equal(status, 1);
    assert.equal(stderr, '');
    const lines = stdout.split('\n');
    // file:line:column severity rule of each finding, without the message.
    const findings = lines.filter(line => /^\S+:\d+:\d+ /.test(line)).map(line => `${line.split(' ')[0]} ${line.split(' ')[1]} ${line.split(' ').at(-1)}`);
    const container = (file: string, line = 8) => [
      `${file}:${line}:5 warning readonly-root-filesystem`, `${file}:${line}:5 warning run-as-root`, `${file}:${line}:5 warning privilege-escalation`,
      `${file}:${line}:5 warning capabilities`, `${file}:${line + 1}:12 error mutable-image-reference`,
    ];
    assert.deepEqual(findings, [
      ...container('kustomize/base/pod.yaml'),
      'a-broken.yaml:4:1 error parse-error',
      'b-shop-pod.yaml:6:1 error pod-security-admission',
      ...container('b-shop-pod.yaml'),
      // The file's suppression comment keeps two of the five.
      'c-suppressed.yaml:9:5 warning privilege-escalation', 'c-suppressed.yaml:9:5 warning capabilities', 'c-suppressed.yaml:10:12 error mutable-image-reference',
      ...Array.from({ length: 24 }, (_, i) => container(`many/pod-${String(i).padStart(2, '0')}.yaml`)).flat(),
    ]);
    // The chart is rendered (its Pod has no container, so no finding), not skipped: its two files count.
    assert.deepEqual(lines.slice(-3), ['', '135 problems (29 error, 106 warning, 0 info, 0 hint) in 34 files', '']);
  });

  it('fixes the same files and says the same on standard error with 2 threads as with 1', () => {
    const source = tree(MIXED);
    const [one, two] = ['1', '2'].map(jobs => {
      const copy = mkdtempSync(join(tmpdir(), 'kube-immutable-jobs-fix-'));
      cpSync(source, copy, { recursive: true });
      return { result: run(['--fix', '--jobs', jobs, '.'], copy), files: readdirSync(join(copy, 'many')).map(name => readFileSync(join(copy, 'many', name), 'utf8')) };
    });
    assert.match(one.result.stderr, /^Fixed \d+ problems \(.*\) in kustomize\/base\/pod\.yaml\n/);
    assert.match(one.result.stderr, /\nFixed \d+ problems \(.*\) in many\/pod-23\.yaml\n/);
    assert.deepEqual(two, one);
    assert.notEqual(one.files[0], pod('p0'));
  });

  it('lints standard input with the other files in their order', () => {
    const root = tree(MIXED);
    const one = run(['--jobs', '1', 'many', '-', 'b-shop-pod.yaml'], root, pod('piped'));
    const two = run(['--jobs', '2', 'many', '-', 'b-shop-pod.yaml'], root, pod('piped'));
    assert.deepEqual(two, one);
    assert.match(one.stdout, /\nmany\/pod-23\.yaml:9:12 [^\n]*\n<stdin>:8:5 [^\n]*\n(<stdin>[^\n]*\n){4}b-shop-pod\.yaml:8:5 /);
  });

  it('stops with exit status 2 and the file system\'s message for a file that cannot be read', () => {
    const root = tree({ 'a.yaml': pod('a'), 'b.yaml': pod('b') });
    const { status, stdout, stderr } = run(['--jobs', '2', 'a.yaml', 'missing.yaml', 'b.yaml'], root);
    assert.equal(status, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'kube-immutable: missing.yaml: no such file or directory\n');
  });

  /**
   * Loaded before the CLI, in its main thread and its worker: the main thread waits at the start of the worker until
   * the worker has loaded the bundle, so that the worker surely takes part in the first pass, and lists the files of
   * each batch of the first pass it sends the worker; in every thread, reading UNREADABLE fails as a disk would.
   */
  const FIRST_PASS_PROBE = `const threads = require('node:worker_threads');
const fs = require('node:fs');
const readFileSync = fs.readFileSync;
fs.readFileSync = (path, ...rest) => {
  if (typeof path === 'string' && process.env.UNREADABLE && path.endsWith(process.env.UNREADABLE)) throw new Error('EIO: i/o error, read');
  return readFileSync(path, ...rest);
};
if (threads.isMainThread) {
  const Worker = threads.Worker;
  threads.Worker = class extends Worker {
    constructor(file, options) {
      const loaded = new Int32Array(new SharedArrayBuffer(4));
      super(file, { ...options, workerData: { ...options.workerData, loaded } });
      Atomics.wait(loaded, 0, 0, 20000);
    }
    postMessage(request) {
      if (request.kind === 'read') fs.appendFileSync(process.env.READ_BY_WORKER, request.files.join('\\n') + '\\n');
      super.postMessage(request);
    }
  };
} else {
  const port = threads.parentPort;
  const post = port.postMessage;
  port.postMessage = function (message) {
    post.call(this, message);
    if (message.ready) { Atomics.store(threads.workerData.loaded, 0, 1); Atomics.notify(threads.workerData.loaded, 0); }
  };
}
`;

  /** A run with FIRST_PASS_PROBE loaded, and the files the worker read in the first pass. */
  function probedRun(args: string[], root: string, unreadable = '') {
    const probe = join(root, 'first-pass-probe.js');
    writeFileSync(probe, FIRST_PASS_PROBE);
    const log = join(root, `read-by-worker-${args.join('-')}`);
    writeFileSync(log, '');
    const result = spawnSync(process.execPath, ['--require', probe, CLI, ...args], {
      cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, READ_BY_WORKER: log, UNREADABLE: unreadable },
    });
    return { run: { status: result.status, stdout: result.stdout, stderr: result.stderr }, readByWorker: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  }

  /** 300 pods (three batches of the first pass) in the namespace that a Namespace in the last file labels. */
  const NAMESPACED: Record<string, string> = {
    ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`pod-${String(i).padStart(3, '0')}.yaml`, pod(`p${i}`, 'shop')])),
    'z-namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n',
  };

  it('applies to every file the labels of a Namespace that a worker read in the first pass', () => {
    const root = tree(NAMESPACED);
    const two = probedRun(['--jobs', '2', '.'], root);
    // The main thread reads the first batch while it takes in that the worker is ready; the worker, the later ones.
    assert.ok(two.readByWorker.includes('z-namespace.yaml'), two.readByWorker.join(' '));
    assert.ok(!two.readByWorker.includes('pod-000.yaml'));
    const one = run(['--jobs', '1', '.'], root);
    assert.deepEqual(two.run, one);
    const admission = one.stdout.split('\n').filter(line => line.endsWith(' pod-security-admission'));
    assert.equal(admission.length, 300);
    const denial = (i: number) => `pod-${String(i).padStart(3, '0')}.yaml:6:1 error The namespace "shop" enforces the restricted Pod Security Standard (latest) `
      + `(pod-security.kubernetes.io/enforce: restricted), and this Pod fails 4 of its controls: Privilege Escalation (container "p${i}" must set `
      + `securityContext.allowPrivilegeEscalation=false); Running as Non-root (pod or container "p${i}" must set securityContext.runAsNonRoot=true); `
      + `Seccomp (pod or container "p${i}" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"); Capabilities (container `
      + `"p${i}" must set securityContext.capabilities.drop=["ALL"]). So the API server rejects this Pod. Fix each control `
      + '(see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted). pod-security-admission';
    assert.deepEqual(admission, Array.from({ length: 300 }, (_, i) => denial(i)));
  });

  it('stops with exit status 2 and the message of the first file that the first pass could not read, with 2 threads as with 1', () => {
    const longer = pod('a-pod-with-a-longer-name', 'shop');
    const root = tree({ ...NAMESPACED, 'pod-150.yaml': longer, 'pod-250.yaml': longer });
    const two = probedRun(['--jobs', '2', '--max-file-size', '150', '.'], root, 'pod-200.yaml');
    assert.ok(two.readByWorker.includes('pod-200.yaml'), two.readByWorker.join(' '));
    const one = probedRun(['--jobs', '1', '--max-file-size', '150', '.'], root, 'pod-200.yaml');
    assert.deepEqual(two.run, one.run);
    assert.equal(one.run.status, 2);
    assert.equal(one.run.stdout, '');
    // A file before it that --max-file-size skips is said, one after it is not.
    assert.equal(one.run.stderr, `kube-immutable: pod-150.yaml: skipped, ${Buffer.byteLength(longer)} bytes is more than --max-file-size 150\n`
      + 'kube-immutable: pod-200.yaml: EIO: i/o error, read\n');
  });

  it('exits 0 with 2 threads when nothing is at warning', () => {
    const root = tree({ 'a.yaml': pod('a'), 'b.yaml': pod('b') });
    const { status, stdout } = run(['--jobs', '2', '--rule', 'readonly-root-filesystem=info', '--rule', 'run-as-root=info', '--rule', 'privilege-escalation=info',
      '--rule', 'capabilities=info', '--rule', 'mutable-image-reference=info', '.'], root);
    assert.equal(status, 0, stdout);
    assert.match(stdout, /\n10 problems \(0 error, 0 warning, 10 info, 0 hint\) in 2 files\n$/);
  });

  it('refuses a number of threads that is not a whole number of at least 1', () => {
    for (const jobs of ['0', 'two', '-1']) {
      const { status, stderr } = run(['--jobs', jobs, '.'], tmpdir());
      assert.equal(status, 2);
      assert.equal(stderr.split('\n')[0], `kube-immutable: --jobs needs a number of threads, at least 1, not "${jobs}"`);
    }
  });
});

describe('CLI --max-file-size', () => {
  it('skips a larger file, saying so on standard error, and lints the others', () => {
    const small = pod('small');
    const large = pod('large-pod-with-a-longer-name');
    const root = tree({ 'large.yaml': large, 'small.yaml': small });
    const limit = Buffer.byteLength(small);
    const { status, stdout, stderr } = run(['--max-file-size', String(limit), '.'], root);
    assert.equal(stderr, `kube-immutable: large.yaml: skipped, ${Buffer.byteLength(large)} bytes is more than --max-file-size ${limit}\n`);
    assert.equal(status, 1);
    assert.match(stdout, /^small\.yaml:8:5 /);
    assert.doesNotMatch(stdout, /large\.yaml/);
    assert.match(stdout, /\n5 problems \(0 error, 5 warning, 0 info, 0 hint\) in 1 file\n$/);
  });

  it('lints a file of exactly the limit, and skips standard input over it', () => {
    const text = pod('exact');
    const root = tree({ 'exact.yaml': text });
    const exact = run(['--max-file-size', String(Buffer.byteLength(text)), 'exact.yaml'], root);
    assert.equal(exact.stderr, '');
    assert.match(exact.stdout, /in 1 file\n$/);
    const piped = run(['--max-file-size', '10', '-'], root, text);
    assert.equal(piped.stderr, `kube-immutable: <stdin>: skipped, ${Buffer.byteLength(text)} bytes is more than --max-file-size 10\n`);
    assert.equal(piped.stdout, '\nNo problems in 0 files\n');
    assert.equal(piped.status, 0);
  });

  it('refuses a size that is not a number of bytes', () => {
    const { status, stderr } = run(['--max-file-size', '4MB', '.'], tmpdir());
    assert.equal(status, 2);
    assert.equal(stderr.split('\n')[0], 'kube-immutable: --max-file-size needs a number of bytes, not "4MB"');
  });
});
