// The Helm charts of the workspace, as a kind of tree for lsp/kustomizeTrees.ts: every folder holding Chart.yaml
// (not a subchart in another chart's charts/) is rendered with each value set the configuration names for it
// (`helm.charts` of .kube-immutable.yaml, as the CLI renders it), else with its default values, and every file of it
// (its templates, _helpers.tpl, values.yaml, Chart.yaml, its subcharts) is analysed through those renderings. A
// template outside any chart is not a root of anything, and stays silent as before.
import { SourceFileSystem } from '../sources/origin';
import { chartOptions, configuredValueSet, renderChartSource, ValueSet } from '../sources/helm/chartSource';
import { CHART_DIRECTIVES, RenderedLines } from '../sources/helm/templateSuppressions';
import { TreeHost, TreeSource } from './kustomizeTrees';

/** Folders a walk for charts does not enter. */
const SKIPPED = new Set(['node_modules', '.git']);

/** The charts below the folders: directories with Chart.yaml, without the subcharts below a chart's `charts/`. */
function chartDirs(folders: readonly string[], fs: SourceFileSystem): string[] {
  const found = new Set<string>();
  const visit = (dir: string) => {
    if (fs.readFile(`${dir}/Chart.yaml`) !== undefined) { found.add(dir); return; }
    for (const name of fs.readDirectory(dir) ?? []) {
      const path = `${dir}/${name}`;
      if (!SKIPPED.has(name) && fs.isDirectory(path)) visit(path);
    }
  };
  for (const folder of folders) {
    let end = folder.length;
    while (end > 1 && folder[end - 1] === '/') end--;
    visit(folder.slice(0, end));
  }
  return [...found].sort();
}

/** Every file below a chart: all of them feed its rendering (a new template too). */
function filesBelow(dir: string, fs: SourceFileSystem): string[] {
  const files: string[] = [];
  const visit = (at: string) => {
    for (const name of fs.readDirectory(at) ?? []) {
      const path = `${at}/${name}`;
      if (fs.isDirectory(path)) visit(path); else files.push(path);
    }
  };
  visit(dir);
  return files;
}

/** The value sets a chart is rendered with: those the configuration names, else the chart's defaults. */
function valueSetsOf(dir: string, host: TreeHost): ValueSet[] {
  const configured = host.chartValueSets?.(dir) ?? [];
  return configured.length ? configured.map(set => configuredValueSet(dir, set)) : [{}];
}

export const HELM_CHARTS: TreeSource = {
  kind: 'helm',
  title: 'Helm charts',
  isRootFile: path => path.endsWith('/Chart.yaml') || path.includes('/templates/'),
  rootDirs: chartDirs,
  build(_folder, dir, fs, host) {
    const renderings = valueSetsOf(dir, host).map(valueSet => renderChartSource(dir, fs, valueSet, fs.gunzip));
    return {
      renderings: renderings.map(({ rendering, namespace }) => ({ rendering, namespace })),
      reads: new Set([...renderings.flatMap(r => r.reads), ...filesBelow(dir, fs)]),
    };
  },
  configured: (dir, host) => JSON.stringify(host.chartValueSets?.(dir) ?? []),
  options: (options, namespace) => chartOptions(options, namespace ?? 'default'),
  directives: CHART_DIRECTIVES,
  judge(tree, sources) {
    // Made on the first directive to judge: most charts have none.
    let rendered: RenderedLines | undefined;
    return (file, text, directive) => {
      if (!rendered) {
        rendered = new RenderedLines();
        for (const { rendering } of tree.renderings) rendered.add(rendering, sources);
      }
      return rendered.judges(file, text, directive);
    };
  },
};
