// The CLI figures of `npm run bench` (alone: `npm run bench:cli`): files per second on a tree of 10,000 small
// manifests with one thread and with one per core, and one 1 MB line holding 26,000 containers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeManifestTree } from './manifests';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FILES = 10_000;
const CONTAINERS = 26_000;
const RUNS = 3;
/** The one-line file takes long while fixes are built with their findings: one run. */
const LINE_RUNS = 1;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = () => loadavg()[0].toFixed(2);

/** Seconds of a CLI run in a fresh process, the median of `runs`; a run must lint (exit 0 or 1). */
function timeCli(args: string[], runs: number): number {
  return median(Array.from({ length: runs }, () => {
    const start = performance.now();
    const run = spawnSync(process.execPath, [CLI, '--format', 'json', ...args], { maxBuffer: 1 << 30 });
    if (run.status !== 0 && run.status !== 1) throw new Error(`CLI failed (${run.status}): ${run.stderr}`);
    return (performance.now() - start) / 1000;
  }));
}

/**
 * One line: a flow-style List of Pods, each with a thousand containers named apart, none hardened, so every
 * container has findings (and fixes, computed for each as long as fixes are built with their findings).
 */
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
    const one = timeCli(['--jobs', '1', tree], RUNS);
    const all = timeCli(['--jobs', String(cores), tree], RUNS);
    console.log(`\nCLI on ${FILES.toLocaleString('en')} generated manifests (${(bytes / 1e6).toFixed(1)} MB), median of ${RUNS} runs, load average ${loadBefore} -> ${load()}`);
    console.log(`  --jobs 1: ${one.toFixed(2)} s, ${(FILES / one).toFixed(0)} files/s`);
    console.log(`  --jobs ${cores}: ${all.toFixed(2)} s, ${(FILES / all).toFixed(0)} files/s: ${(one / all).toFixed(2)}x of one thread (target >= 1.6x on 2 cores)`);

    const line = join(work, 'one-line.yaml');
    const text = oneLineStream(CONTAINERS);
    writeFileSync(line, text);
    const lineLoad = load();
    const seconds = timeCli([line], LINE_RUNS);
    console.log(`CLI on one ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB line of ${CONTAINERS.toLocaleString('en')} containers: ${seconds.toFixed(2)} s `
      + `(target <= 2 s: ${(seconds / 2).toFixed(2)}x), ${LINE_RUNS === 1 ? 'one run' : `median of ${LINE_RUNS} runs`}, load average ${lineLoad} -> ${load()}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
