// The CLI figures of `npm run bench` (alone: `npm run bench:cli`): files per second on a tree of 10,000 small
// manifests with one thread and with one per core, and one 1 MB line holding 26,000 containers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deploymentStream, writeManifestTree } from './manifests';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FILES = 10_000;
const CONTAINERS = 26_000;
const RUNS = 3;
/** The one-line file: three runs, as for the tree. */
const LINE_RUNS = 3;
/** The stream --fix rewrites: every Deployment gets its fixes, in as many passes as they need. */
const STREAM_DEPLOYMENTS = 2_000;

const load = () => loadavg()[0].toFixed(2);

/**
 * Loaded into the CLI's process by the benchmark alone (`--require`): at exit it writes the CPU seconds of the
 * whole process (every thread) and, where /proc tells, of the main thread alone, which the threads of `--jobs`
 * wait on. The machine may be busy with other work; CPU seconds say what the run itself cost.
 */
const CPU_PROBE = `const { readFileSync, writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');
if (isMainThread) process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  let main = null;
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
    main = (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {}
  writeFileSync(process.env.KUBE_IMMUTABLE_BENCH_CPU, JSON.stringify({ cpu: (user + system) / 1e6, main }));
});
`;

interface CliRun { seconds: number; cpu: number; main: number | null }

/** A CLI run in a fresh process, the median of `runs` by time; a run must lint (exit 0 or 1). */
function timeCli(args: string[], runs: number, work: string, nodeFlags: string[] = []): CliRun {
  const probe = join(work, 'cpu-probe.js');
  const figures = join(work, 'cpu.json');
  writeFileSync(probe, CPU_PROBE);
  const all = Array.from({ length: runs }, (): CliRun => {
    const start = performance.now();
    const run = spawnSync(process.execPath, [...nodeFlags, '--require', probe, CLI, '--format', 'json', ...args], {
      maxBuffer: 1 << 30, env: { ...process.env, KUBE_IMMUTABLE_BENCH_CPU: figures },
    });
    const seconds = (performance.now() - start) / 1000;
    if (run.status !== 0 && run.status !== 1) throw new Error(`CLI failed (${run.status}): ${run.stderr}`);
    return { seconds, ...JSON.parse(readFileSync(figures, 'utf8')) };
  });
  return [...all].sort((a, b) => a.seconds - b.seconds)[Math.floor(all.length / 2)];
}

/** The CPU a run took: all threads, and the main thread's part where known. */
function cpuOf(run: CliRun): string {
  return `CPU ${run.cpu.toFixed(2)} s${run.main === null ? '' : `, main thread ${run.main.toFixed(2)} s (${(100 * run.main / run.cpu).toFixed(0)}%)`}`;
}

/** One line: a flow-style List of Pods, each with a thousand containers named apart, none hardened, so every container has findings. */
function oneLineStream(containers: number): string {
  const perPod = 1000;
  const pods: string[] = [];
  for (let first = 0; first < containers; first += perPod) {
    const items = Array.from({ length: Math.min(perPod, containers - first) }, (_, i) => `{name: c${first + i}, image: "nginx:1.27"}`);
    pods.push(`{apiVersion: v1, kind: Pod, metadata: {name: pod-${first / perPod}}, spec: {containers: [${items.join(', ')}]}}`);
  }
  return `{apiVersion: v1, kind: List, items: [${pods.join(', ')}]}\n`;
}

export function benchCli(): void {
  const work = mkdtempSync(join(tmpdir(), 'kube-immutable-bench-cli-'));
  try {
    const tree = join(work, 'manifests');
    const bytes = writeManifestTree(tree, FILES);
    const cores = availableParallelism();
    const loadBefore = load();
    const one = timeCli(['--jobs', '1', tree], RUNS, work);
    const all = timeCli(['--jobs', String(cores), tree], RUNS, work);
    console.log(`\nCLI on ${FILES.toLocaleString('en')} generated manifests (${(bytes / 1e6).toFixed(1)} MB), median of ${RUNS} runs, load average ${loadBefore} -> ${load()}`);
    console.log(`  --jobs 1: ${one.seconds.toFixed(2)} s, ${(FILES / one.seconds).toFixed(0)} files/s; ${cpuOf(one)}`);
    console.log(`  --jobs ${cores}: ${all.seconds.toFixed(2)} s, ${(FILES / all.seconds).toFixed(0)} files/s: ${(one.seconds / all.seconds).toFixed(2)}x of one thread (target >= 1.6x on 2 cores); ${cpuOf(all)}`);
    // One lint thread keeps more than one core busy (V8 compiles and collects garbage in threads of its own): on
    // this machine, the cores it leaves idle bound what more threads can add, even were they free.
    const busy = one.cpu / one.seconds;
    console.log(`  --jobs 1 kept ${busy.toFixed(2)} of ${cores} cores busy: with the same CPU time per file, ${cores} cores allow at most ${(cores / busy).toFixed(2)}x`);
    // What keeps the other core busy: V8's optimizing compiler, which each thread's isolate runs again for itself.
    // With it on the lint thread, the lint thread's CPU time grows by what the compiler's threads took.
    const inline = timeCli(['--jobs', '1', tree], RUNS, work, ['--no-concurrent-recompilation']);
    if (inline.main !== null && one.main !== null) {
      console.log(`  --jobs 1 with V8 optimizing on the lint thread (--no-concurrent-recompilation): ${inline.seconds.toFixed(2)} s; ${cpuOf(inline)}: `
        + `optimizing took about ${(inline.main - one.main).toFixed(2)} s of CPU, which each further thread spends again`);
    }

    const line = join(work, 'one-line.yaml');
    const text = oneLineStream(CONTAINERS);
    writeFileSync(line, text);
    const lineLoad = load();
    const lineRun = timeCli([line], LINE_RUNS, work);
    console.log(`CLI on one ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB line of ${CONTAINERS.toLocaleString('en')} containers: ${lineRun.seconds.toFixed(2)} s `
      + `(target <= 2 s: ${(lineRun.seconds / 2).toFixed(2)}x), median of ${LINE_RUNS} runs, load average ${lineLoad} -> ${load()}; ${cpuOf(lineRun)}`);
    // What computes fixes for every finding: SARIF lists them, and --fix applies the preferred ones, a pass at a time
    // (one run each, --fix on a fresh copy).
    const sarif = timeCli(['--format', 'sarif', line], 1, work);
    console.log(`  --format sarif, every fix computed and checked: ${sarif.seconds.toFixed(2)} s, ${(sarif.seconds / lineRun.seconds).toFixed(1)}x the lint; ${cpuOf(sarif)}`);
    const fixed = timeCli(['--fix', line], 1, work);
    console.log(`  --fix: ${fixed.seconds.toFixed(2)} s, ${(fixed.seconds / lineRun.seconds).toFixed(1)}x the lint; ${cpuOf(fixed)}`);
    const stream = join(work, 'deployments.yaml');
    writeFileSync(stream, deploymentStream(STREAM_DEPLOYMENTS));
    const streamLint = timeCli([stream], 1, work);
    const streamFix = timeCli(['--fix', stream], 1, work);
    console.log(`CLI --fix on a stream of ${STREAM_DEPLOYMENTS.toLocaleString('en')} Deployments: ${streamFix.seconds.toFixed(2)} s, ${(streamFix.seconds / streamLint.seconds).toFixed(1)}x its lint (${streamLint.seconds.toFixed(2)} s); ${cpuOf(streamFix)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
