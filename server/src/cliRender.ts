// `kube-immutable render <path>`: prints what a source renders, as its own tool would (`kustomize build`, `helm
// template`), with the problems of the source on standard error. A source that cannot be rendered at all exits 1.
import { resolve } from 'node:path';
import { displayPath } from './cliKustomize';
import { DiskFileSystem, gunzip } from './diskFileSystem';
import { RENDER_CHART_USAGE, runRenderChart, UsageError as RenderChartUsageError } from './sources/helm/renderCommand';
import { buildKustomization, findKustomizationFile, printBuild } from './sources/kustomize';
import { SourceTexts } from './sources/sourceTexts';

export const RENDER_USAGE = `Usage: kube-immutable render <dir>

Prints the build of the kustomization in <dir> as \`kustomize build <dir>\` does, without kustomize or network.
Problems of the tree go to standard error as file:line:column: severity message.
(To lint a directory named render, write ./render.)

${RENDER_CHART_USAGE}`;

/** A chart: a folder holding Chart.yaml, or a chart archive. */
function isChart(path: string, fs: DiskFileSystem): boolean {
  return /\.(tgz|tar\.gz)$/.test(path) ? fs.readBytes(path) !== undefined : fs.readFile(resolve(path, 'Chart.yaml')) !== undefined;
}

export function renderMain(args: string[]): number {
  if (args.length === 1 && (args[0] === '-h' || args[0] === '--help')) { process.stdout.write(RENDER_USAGE + '\n'); return 0; }
  const target = args.find(arg => !arg.startsWith('-'));
  if (target !== undefined && isChart(target, new DiskFileSystem())) return renderChart(args);
  if (args.length !== 1 || args[0].startsWith('-')) {
    process.stderr.write(`kube-immutable render: ${args.length ? `unexpected ${args.slice(args[0].startsWith('-') ? 0 : 1).join(' ')}` : 'no directory given'}\n\n${RENDER_USAGE}\n`);
    return 2;
  }
  const fs = new DiskFileSystem();
  const dir = resolve(args[0]);
  if (!fs.isDirectory(dir)) { process.stderr.write(`kube-immutable render: ${args[0]}: no such directory\n`); return 2; }
  if (!findKustomizationFile(dir, fs)) {
    process.stderr.write(`kube-immutable render: ${args[0]}: no kustomization.yaml, kustomization.yml or Kustomization in this directory\n`);
    return 2;
  }
  const build = buildKustomization(dir, fs);
  const sources = new SourceTexts(fs);
  for (const problem of build.problems) {
    const range = problem.span && sources.range(problem.span);
    const where = problem.span && range ? `${displayPath(problem.span.file, args[0])}:${range.start.line + 1}:${range.start.character + 1}: ` : `${args[0]}: `;
    process.stderr.write(`${where}${problem.severity}: ${problem.message}\n`);
  }
  process.stdout.write(printBuild(build));
  return build.problems.some(problem => problem.severity === 'error') ? 1 : 0;
}

function renderChart(args: string[]): number {
  try {
    return runRenderChart(args, {
      fs: new DiskFileSystem(), gunzip,
      stdout: text => process.stdout.write(text), stderr: text => process.stderr.write(text),
    });
  } catch (error) {
    if (!(error instanceof RenderChartUsageError)) throw error;
    process.stderr.write(`kube-immutable render: ${error.message}\n\n${RENDER_CHART_USAGE}\n`);
    return 2;
  }
}
