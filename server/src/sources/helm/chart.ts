// A chart as Helm loads it (pkg/chart/loader): Chart.yaml, values.yaml, values.schema.json, templates/, the other
// files, and its subcharts from charts/ (folders or .tgz archives), read from a directory (honouring .helmignore)
// or from an archive. Loading checks what Helm checks of Chart.yaml; it does not render anything.
import { parse as parseYaml } from 'yaml';
import { GoMap } from '../../gotemplate/values';
import { SourceFileSystem } from '../origin';
import { Gunzip, readChartArchive } from './archive';
import { IgnoreRules } from './helmignore';
import { readValues } from './valuesFile';

export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  'import-values'?: unknown[];
  alias?: string;
}

/** Chart.yaml as written (its keys are Helm's JSON names: name, version, appVersion, apiVersion, ...). */
export interface ChartMetadata {
  name: string;
  version: string;
  apiVersion: string;
  appVersion?: string;
  description?: string;
  type?: string;
  kubeVersion?: string;
  dependencies?: ChartDependency[];
  [key: string]: unknown;
}

/** A file of a chart: its name relative to the chart root, its bytes, and the path it was read from. */
export interface ChartFile {
  name: string;
  data: Uint8Array;
  /** Where to point at it: the file's path, or `<archive>/<name>` inside an archive. */
  path: string;
}

export interface Chart {
  metadata: ChartMetadata;
  /** The default values (values.yaml), with their origins. */
  values: GoMap;
  schema?: ChartFile;
  templates: ChartFile[];
  /** Every other file: what `.Files` sees (crds/ included). */
  files: ChartFile[];
  dependencies: Chart[];
  parent?: Chart;
  /** The chart's directory or archive path. */
  path: string;
  /** Whether it was read from an archive (its files cannot be edited). */
  archived: boolean;
  /** Every file read to load it (for the workspace index). */
  filesRead: string[];
}

export class ChartLoadError extends Error {
  constructor(message: string, readonly path?: string) { super(message); }
}

export interface LoadOptions {
  /** Decompresses `.tgz` archives; without it, archives are a load error. */
  gunzip?: Gunzip;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const decoder = new TextDecoder();

export function fileText(file: ChartFile): string {
  return decoder.decode(file.data);
}

/** Loads the chart at `path`: a directory holding Chart.yaml, or a `.tgz` archive. */
export function loadChart(path: string, fs: SourceFileSystem, options: LoadOptions = {}): Chart {
  if (fs.isDirectory(path)) return loadFiles(readChartDirectory(path, fs), path, false, options);
  const bytes = readBytes(fs, path);
  if (!bytes) throw new ChartLoadError(`path "${path}" not found`, path);
  return loadArchive(bytes, path, options);
}

function readBytes(fs: SourceFileSystem, path: string): Uint8Array | undefined {
  if (fs.readBytes) return fs.readBytes(path);
  const text = fs.readFile(path);
  return text === undefined ? undefined : new TextEncoder().encode(text);
}

function loadArchive(bytes: Uint8Array, path: string, options: LoadOptions): Chart {
  // The browser host has no gunzip (only Node's zlib is used): a packed chart is refused there with this message.
  if (!options.gunzip) {
    throw new ChartLoadError(`${path} is a packed chart, which kube-immutable reads only where it runs in Node (the CLI, desktop VS Code); `
      + 'unpacked (helm pull --untar), it is read everywhere', path);
  }
  let entries: Map<string, Uint8Array>;
  try { entries = readChartArchive(bytes, options.gunzip); } catch (error) { throw new ChartLoadError(`${path}: ${(error as Error).message}`, path); }
  const files: ChartFile[] = [];
  for (const [name, data] of entries) {
    // The archive holds one top folder (the chart's name); Helm drops it and refuses paths that climb out.
    const inner = name.split('/').slice(1).join('/');
    if (!inner || inner.split('/').includes('..')) continue;
    files.push({ name: inner, data: withoutBom(data), path: `${path}/${inner}` });
  }
  return loadFiles(files, path, true, options);
}

/** The files of a chart directory, in lexical walk order, without those .helmignore leaves out. */
function readChartDirectory(root: string, fs: SourceFileSystem): ChartFile[] {
  const ignoreText = fs.readFile(`${root}/.helmignore`);
  const rules = ignoreText === undefined ? IgnoreRules.defaults() : IgnoreRules.parse(ignoreText);
  const files: ChartFile[] = [];
  const visit = (dir: string, relative: string) => {
    for (const name of [...(fs.readDirectory(dir) ?? [])].sort()) {
      const path = `${dir}/${name}`;
      const rel = relative ? `${relative}/${name}` : name;
      if (fs.isDirectory(path)) { if (!rules.ignores(rel, true)) visit(path, rel); continue; }
      if (rules.ignores(rel, false)) continue;
      const data = readBytes(fs, path);
      if (data) files.push({ name: rel, data: withoutBom(data), path });
    }
  };
  visit(root, '');
  return files;
}

function withoutBom(data: Uint8Array): Uint8Array {
  return UTF8_BOM.every((byte, i) => data[i] === byte) ? data.subarray(3) : data;
}

function loadFiles(files: ChartFile[], path: string, archived: boolean, options: LoadOptions = {}): Chart {
  let metadata: ChartMetadata | undefined;
  let values: GoMap = {};
  let schema: ChartFile | undefined;
  let requirements: ChartDependency[] | undefined;
  const templates: ChartFile[] = [];
  const other: ChartFile[] = [];
  const subcharts = new Map<string, ChartFile[]>();
  for (const file of files) {
    if (file.name === 'Chart.yaml') metadata = parseMetadata(file);
    else if (file.name === 'values.yaml') values = readValues(fileText(file), file.path);
    else if (file.name === 'values.schema.json') schema = file;
    else if (file.name === 'requirements.yaml') requirements = (parseYaml(fileText(file), { version: '1.1' }) as { dependencies?: ChartDependency[] } | null)?.dependencies;
    else if (file.name === 'Chart.lock' || file.name === 'requirements.lock') continue;
    else if (file.name.startsWith('templates/')) templates.push(file);
    else if (file.name.startsWith('charts/') && !file.name.endsWith('.prov')) {
      const inner = file.name.slice('charts/'.length);
      const name = inner.split('/')[0];
      subcharts.set(name, [...(subcharts.get(name) ?? []), { ...file, name: inner.slice(name.length + 1) }]);
    } else other.push(file);
  }
  if (!metadata) throw new ChartLoadError(archived ? 'Chart.yaml file is missing' : `Chart.yaml file is missing`, path);
  if (metadata.apiVersion === 'v1' && requirements && !metadata.dependencies) metadata.dependencies = requirements;
  validateMetadata(metadata, path);
  const chart: Chart = {
    metadata, values, schema, templates, files: other, dependencies: [], path, archived,
    filesRead: files.map(file => file.path),
  };
  for (const [name, subFiles] of [...subcharts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let sub: Chart;
    try {
      if (name.endsWith('.tgz') || name.endsWith('.tar.gz')) sub = loadArchive(subFiles[0].data, subFiles[0].path, options);
      else sub = loadFiles(subFiles, `${path}/charts/${name}`, archived, options);
    } catch (error) {
      throw new ChartLoadError(`error unpacking subchart ${name} in ${metadata.name}: ${(error as Error).message}`, subFiles[0]?.path);
    }
    sub.parent = chart;
    chart.dependencies.push(sub);
  }
  return chart;
}

function parseMetadata(file: ChartFile): ChartMetadata {
  let parsed: unknown;
  try { parsed = parseYaml(fileText(file), { version: '1.1', uniqueKeys: false }); } catch (error) {
    throw new ChartLoadError(`cannot load Chart.yaml: error converting YAML to JSON: ${(error as Error).message.split('\n')[0]}`, file.path);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ChartLoadError('cannot load Chart.yaml: not a map', file.path);
  const metadata = parsed as ChartMetadata;
  // Helm reads Chart.yaml into typed fields: a version or appVersion written as a number is its text.
  for (const key of ['version', 'appVersion', 'kubeVersion'] as const) if (typeof metadata[key] === 'number') metadata[key] = String(metadata[key]);
  if (!metadata.apiVersion) metadata.apiVersion = 'v1';
  return metadata;
}

const SEMVER = /^v?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?(\.(0|[1-9][0-9]*))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** The checks of Metadata.Validate that decide whether a chart loads. */
function validateMetadata(metadata: ChartMetadata, path: string): void {
  const fail = (message: string) => { throw new ChartLoadError(`validation: ${message}`, `${path}/Chart.yaml`); };
  if (!metadata.apiVersion) fail('chart.metadata.apiVersion is required');
  if (!metadata.name) fail('chart.metadata.name is required');
  if (String(metadata.name).includes('/') || String(metadata.name).includes('\\')) fail(`chart.metadata.name "${metadata.name}" is invalid`);
  if (!metadata.version) fail('chart.metadata.version is required');
  if (!SEMVER.test(String(metadata.version))) fail(`chart.metadata.version "${metadata.version}" is invalid`);
  if (metadata.type !== undefined && metadata.type !== '' && metadata.type !== 'application' && metadata.type !== 'library') fail('chart.metadata.type must be application or library');
  for (const dependency of metadata.dependencies ?? []) {
    if (!dependency || typeof dependency !== 'object') fail('dependencies must not contain empty or null nodes');
    if (dependency.alias !== undefined && !/^[a-zA-Z0-9_-]+$/.test(dependency.alias)) fail(`dependency "${dependency.name}" has disallowed characters in the alias`);
  }
}

export function isLibrary(chart: Chart): boolean {
  return chart.metadata.type === 'library';
}

/** The chart's path from the top chart, as template names use it: `top`, `top/charts/sub`. */
export function chartFullPath(chart: Chart): string {
  return chart.parent ? `${chartFullPath(chart.parent)}/charts/${chart.metadata.name}` : chart.metadata.name;
}

/** Files under crds/ of the chart and its subcharts, as Helm installs them before the templates. */
export function crdFiles(chart: Chart): { filename: string; file: ChartFile }[] {
  const own = chart.files
    .filter(file => file.name.startsWith('crds/') && /\.(ya?ml|json)$/.test(file.name))
    .map(file => ({ filename: `${chartFullPath(chart)}/${file.name}`, file }));
  return [...own, ...chart.dependencies.flatMap(crdFiles)];
}
