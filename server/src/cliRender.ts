// `kube-immutable render <path>`: prints what a source renders, as its own tool would (`kustomize build`, `helm
// template`), with the problems of the source on standard error. A source that cannot be rendered at all exits 1.
import { resolve } from 'node:path';
import { DiskFileSystem, gunzip } from './diskFileSystem';
import { RENDER_CHART_USAGE, runRenderChart, UsageError as RenderChartUsageError } from './sources/helm/renderCommand';

export const RENDER_USAGE = `Usage: kube-immutable render <dir>

Prints the build of the kustomization in <dir> as \`kustomize build <dir>\` does, without kustomize or network.
Problems of the tree go to standard error as file:line:column: severity message.
(To lint a directory named render, write ./render.)

${RENDER_CHART_USAGE}`;

/** A chart: a folder holding Chart.yaml, or a chart archive. */
function isChart(path: string, fs: DiskFileSystem): boolean {
  return /\.(tgz|tar\.gz)$/.test(path) ? fs.readBytes(path) !== undefined : fs.readFile(resolve(path, 'Chart.yaml')) !== undefined;
}

export async function renderMain(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === '-h' || args[0] === '--help')) { process.stdout.write(RENDER_USAGE + '\n'); return 0; }
  const target = args.find(arg => !arg.startsWith('-'));
  if (target !== undefined && isChart(target, new DiskFileSystem())) return renderChart(args);
  // Kustomize's builder, with the engine it uses, is loaded only for a kustomization (see cliMain.ts).
  const { renderKustomization } = await import('./cliRenderKustomize');
  return renderKustomization(args, RENDER_USAGE);
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
