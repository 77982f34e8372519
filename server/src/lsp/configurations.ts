// The configuration of each file the language server lints: the `kubeImmutable` settings of its workspace
// folder, under the nearest `.kube-immutable.yaml` above the file (the one the CLI reads too), merged by the
// shared model (engine/config.ts). Results are cached until a setting or a config file changes, and the
// options object of one configuration stays the same, so that analyses keep sharing their chunk results.
import { basename, dirname, sep } from 'node:path';
import { AnalyzeOptions, ChartValueSet, CONFIG_FILE_NAME, ConfigLayer, ConfigProblem, mergeConfig, parseConfigFile, parseSettings, toAnalyzeOptions } from '../engine';
import { isExcludedFrom } from '../paths';
import { configuredChain, configuredFolder } from '../sources/compose/chains';
import { WorkspaceFileSystem } from './fileSystem';
import { DEFAULT_MAX_PROBLEMS_PER_FILE } from './published';

/** Settings that only the editor has. */
export interface EditorSettings {
  scan: boolean;
  /** How many problems of one file are published (see problemCap.ts). */
  maxProblemsPerFile: number;
}

export interface FolderSettings {
  /** The folder's path (on disk, or the path of its URI in the browser). */
  path: string;
  uri: string;
  layer: ConfigLayer;
  editor: EditorSettings;
  problems: ConfigProblem[];
}

/** The settings section as VS Code sends it (`kubeImmutable.rules.<id>` nested as `rules: {<id>: ...}`). */
export function readSettingsSection(section: unknown, folder: { uri: string; path: string }): FolderSettings {
  const { trace: _trace, workspace, maxProblemsPerFile, ...shared } = (section && typeof section === 'object' ? section : {}) as Record<string, unknown>;
  const { layer, problems } = parseSettings(shared);
  const scan = (workspace as { scan?: unknown } | undefined)?.scan;
  // A value that is not a whole number of at least 1 (VS Code checks the schema, other clients may not) keeps the default.
  const max = Number.isSafeInteger(maxProblemsPerFile) && (maxProblemsPerFile as number) >= 1 ? maxProblemsPerFile as number : DEFAULT_MAX_PROBLEMS_PER_FILE;
  return { ...folder, layer, problems, editor: { scan: scan !== false, maxProblemsPerFile: max } };
}

export function isConfigFileUri(uri: string, files: WorkspaceFileSystem): boolean {
  const path = files.toPath(uri);
  return !!path && basename(path) === CONFIG_FILE_NAME;
}

interface ConfigFileState { layer: ConfigLayer; problems: ConfigProblem[] }

export interface FileConfiguration {
  options: AnalyzeOptions;
  excluded: boolean;
}

export class Configurations {
  private folders: FolderSettings[] = [];
  private readonly nearestConfig = new Map<string, string | undefined>();
  private readonly configFiles = new Map<string, ConfigFileState>();
  private readonly options = new Map<string, AnalyzeOptions>();

  constructor(private readonly files: WorkspaceFileSystem) {}

  setFolders(folders: FolderSettings[]): void {
    this.folders = [...folders].sort((a, b) => b.path.length - a.path.length);
    this.options.clear();
  }

  allFolders(): readonly FolderSettings[] {
    return this.folders;
  }

  /** Forgets what was read from config files (after one was created, changed or deleted). */
  configFilesChanged(): void {
    this.nearestConfig.clear();
    this.configFiles.clear();
    this.options.clear();
  }

  folderOf(path: string): FolderSettings | undefined {
    return this.folders.find(folder => path === folder.path || path.startsWith(folder.path.endsWith(sep) ? folder.path : `${folder.path}${sep}`));
  }

  /** The config file state of a path, read once; problems come with positions, for diagnostics. */
  configFile(path: string): ConfigFileState {
    let state = this.configFiles.get(path);
    if (!state) {
      try { state = parseConfigFile(this.files.readConfigText(path)); }
      catch (error) { state = { layer: {}, problems: [{ path: '', message: `Cannot read ${CONFIG_FILE_NAME}: ${(error as Error).message}` }] }; }
      this.configFiles.set(path, state);
    }
    return state;
  }

  forUri(uri: string): FileConfiguration {
    const path = this.files.toPath(uri);
    const folder = path ? this.folderOf(path) : undefined;
    const configPath = path ? this.nearestConfigFile(dirname(path)) : undefined;
    const file = configPath ? this.configFile(configPath) : undefined;
    const key = `${folder?.uri ?? ''}\n${configPath ?? ''}`;
    let options = this.options.get(key);
    if (!options) {
      // Only the valid part of a config file with problems applies; the problems are shown on the file itself.
      options = toAnalyzeOptions(mergeConfig(folder?.layer ?? {}, file?.layer ?? {}));
      this.options.set(key, options);
    }
    const excluded = !!path && (
      (!!folder && isExcludedFrom(folder.path, path, folder.layer.exclude ?? []))
      || (!!configPath && isExcludedFrom(dirname(configPath), path, file?.layer.exclude ?? [])));
    return { options, excluded };
  }

  /** The Compose chain named for a folder: by the nearest config file, else by the folder's settings (each relative to itself). */
  composeChainFor(dir: string): string[] | undefined {
    const configPath = this.nearestConfigFile(dir);
    const folder = this.folderOf(dir);
    return (configPath ? configuredChain(dirname(configPath), this.configFile(configPath).layer.compose?.projects ?? {}, dir) : undefined)
      ?? (folder ? configuredChain(folder.path, folder.layer.compose?.projects ?? {}, dir) : undefined);
  }

  /**
   * The value sets the nearest config file names for a chart folder, as written (the CLI reads the same); none when
   * it names none. There is no editor setting for them: they are the repository's, as CI renders the chart.
   */
  chartValueSetsFor(dir: string): ChartValueSet[] {
    const configPath = this.nearestConfigFile(dir);
    if (!configPath) return [];
    const charts = this.configFile(configPath).layer.helm?.charts ?? {};
    return Object.entries(charts).find(([folder]) => configuredFolder(dirname(configPath), folder) === dir)?.[1] ?? [];
  }

  private nearestConfigFile(dir: string): string | undefined {
    if (!this.nearestConfig.has(dir)) this.nearestConfig.set(dir, this.files.findConfigFile(dir));
    return this.nearestConfig.get(dir);
  }
}
