// Which configuration applies to each file the CLI lints: the file given with --config, else the nearest
// `.kube-immutable.yaml` above the file (above the working directory for standard input), with the
// --rule and --all-rules flags on top. A config file with any problem stops the run: CI never lints with a
// configuration other than the one written.
import { basename, dirname, resolve } from 'node:path';
import { AnalyzeOptions, ChartValueSet, CONFIG_FILE_NAME, mergeConfig, toAnalyzeOptions } from './engine';
import { findConfigFile, formatConfigProblem, readConfigFile } from './configFile';
import { isExcludedFrom } from './paths';
import { configuredChain } from './sources/compose/chains';

export class ConfigError extends Error {}

interface Applied { root: string; exclude: string[]; options: AnalyzeOptions; composeProjects: Record<string, string[]>; helmCharts: Record<string, ChartValueSet[]> }

export class CliConfiguration {
  private readonly byPath = new Map<string, Applied>();
  private readonly byDirectory = new Map<string, Applied>();
  private readonly explicit?: Applied;
  private readonly flagsOnly: Applied;

  constructor(configPath: string | undefined, private readonly flags: AnalyzeOptions) {
    this.flagsOnly = { root: process.cwd(), exclude: [], options: flags, composeProjects: {}, helmCharts: {} };
    if (configPath) this.explicit = this.load(resolve(configPath));
  }

  /** The options for a file (undefined for standard input), or undefined when it is not linted: excluded, or a config file. */
  optionsFor(file: string | undefined): AnalyzeOptions | undefined {
    if (file !== undefined && basename(file) === CONFIG_FILE_NAME) return undefined;
    const applied = this.appliedTo(dirname(resolve(file ?? 'stdin')));
    if (file !== undefined && isExcludedFrom(applied.root, resolve(file), applied.exclude)) return undefined;
    return applied.options;
  }

  /** The Compose chain the configuration names for a folder, as absolute paths. */
  composeChainFor(directory: string): string[] | undefined {
    const applied = this.appliedTo(directory);
    return configuredChain(applied.root, applied.composeProjects, directory);
  }

  /** The value sets the configuration names for a chart folder (absolute), as written; none when it names none. */
  chartValueSets(chartDir: string): ChartValueSet[] {
    const applied = this.appliedTo(chartDir);
    const entry = Object.entries(applied.helmCharts).find(([dir]) => resolve(applied.root, dir) === chartDir);
    return entry?.[1] ?? [];
  }

  private appliedTo(directory: string): Applied {
    if (this.explicit) return this.explicit;
    let applied = this.byDirectory.get(directory);
    if (!applied) {
      const path = findConfigFile(directory);
      applied = path ? this.load(path) : this.flagsOnly;
      this.byDirectory.set(directory, applied);
    }
    return applied;
  }

  private load(path: string): Applied {
    const loaded = this.byPath.get(path);
    if (loaded) return loaded;
    let file;
    try { file = readConfigFile(path); } catch (error) { throw new ConfigError(`${path}: ${(error as Error).message}`); }
    if (file.problems.length) throw new ConfigError(file.problems.map(problem => formatConfigProblem(path, problem)).join('\n'));
    const config = mergeConfig({}, file.layer);
    const options = toAnalyzeOptions(config);
    const applied: Applied = {
      root: dirname(path), exclude: config.exclude, composeProjects: config.composeProjects, helmCharts: config.helmCharts,
      options: { ...options, ...this.flags, severities: { ...options.severities, ...this.flags.severities } },
    };
    this.byPath.set(path, applied);
    return applied;
  }
}
