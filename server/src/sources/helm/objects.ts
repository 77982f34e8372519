// The objects templates see besides .Values: .Chart, .Release, .Files, .Capabilities, .Template, .Subcharts,
// as Go structs and maps of Helm's (their field names, zero values and methods), in the template value model.
import { defineGoType, GoMap } from '../../gotemplate/values';
import { Chart, ChartFile, chartFullPath, fileText } from './chart';
import { pathMatch } from './pathMatch';

/** `.Chart`: Chart.yaml as Helm's Metadata struct, every field present with Go's zero value, plus IsRoot. */
export function chartObject(chart: Chart): GoMap {
  const m = chart.metadata;
  const str = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  const list = (value: unknown) => (Array.isArray(value) ? value : null);
  const maintainers = list(m.maintainers)?.map(entry => {
    const e = (entry ?? {}) as GoMap;
    return defineGoType({ Name: str(e.name), Email: str(e.email), URL: str(e.url) }, '*chart.Maintainer', 'struct');
  }) ?? null;
  const dependencies = list(m.dependencies)?.map(entry => {
    const e = (entry ?? {}) as GoMap;
    return defineGoType({
      Name: str(e.name), Version: str(e.version), Repository: str(e.repository), Condition: str(e.condition),
      Tags: list(e.tags), Enabled: e.enabled === true, ImportValues: list(e['import-values']), Alias: str(e.alias),
    }, '*chart.Dependency', 'struct');
  }) ?? null;
  return defineGoType({
    Name: str(m.name), Home: str(m.home), Sources: list(m.sources), Version: str(m.version), Description: str(m.description),
    Keywords: list(m.keywords), Maintainers: maintainers, Icon: str(m.icon), APIVersion: str(m.apiVersion),
    Condition: str(m.condition), Tags: str(m.tags), AppVersion: str(m.appVersion), Deprecated: m.deprecated === true,
    Annotations: m.annotations && typeof m.annotations === 'object' ? m.annotations : null, KubeVersion: str(m.kubeVersion),
    Dependencies: dependencies, Type: str(m.type), IsRoot: !chart.parent,
  }, 'struct { *chart.Metadata; IsRoot bool }', 'struct');
}

export interface ReleaseOptions {
  name: string;
  namespace: string;
  revision?: number;
  isUpgrade?: boolean;
}

/** `.Release`: a map, as Helm builds it for a first install. */
export function releaseObject(options: ReleaseOptions): GoMap {
  return {
    Name: options.name, Namespace: options.namespace, IsUpgrade: options.isUpgrade === true, IsInstall: options.isUpgrade !== true,
    Revision: BigInt(options.revision ?? 1), Service: 'Helm',
  };
}

/** `.Capabilities` for a client-only render: the Kubernetes version and API versions given, Helm's version. */
export function capabilitiesObject(kubeVersion: string, apiVersions: readonly string[]): GoMap {
  const version = kubeVersion.startsWith('v') ? kubeVersion : `v${kubeVersion}`;
  const [major = '', minor = ''] = version.slice(1).split('.');
  const versions = [...new Set(apiVersions)];
  const kube = defineGoType({
    Version: version, Major: major, Minor: minor,
    String: () => version, GitVersion: () => version,
  }, 'chartutil.KubeVersion', 'struct');
  // A named slice type with a method: the list, and Has beside its items.
  const apis = Object.defineProperty([...versions], 'Has', { value: (name: unknown) => versions.includes(String(name)), enumerable: false });
  const helm = defineGoType({ Version: HELM_VERSION, GitCommit: '', GitTreeState: '', GoVersion: '' }, 'version.BuildInfo', 'struct');
  return defineGoType({ APIVersions: apis, KubeVersion: kube, HelmVersion: helm }, '*chartutil.Capabilities', 'struct');
}

/** The Helm version templates are told they run under (`.Capabilities.HelmVersion.Version`). */
export const HELM_VERSION = 'v4.1.0';

/** `.Template`: the template's full name and its chart's templates folder. */
export function templateObject(name: string, basePath: string): GoMap {
  return { Name: name, BasePath: basePath };
}

/** `.Files`: a map of the chart's files other than templates (name -> bytes), with Helm's methods. */
export function filesObject(files: readonly ChartFile[], toYaml: (value: unknown) => string): GoMap {
  const byName = new Map(files.map(file => [file.name, file]));
  const methods: Record<string, (...args: unknown[]) => unknown> = {
    Get: (name: unknown) => { const file = byName.get(String(name)); return file ? fileText(file) : ''; },
    GetBytes: (name: unknown) => byName.get(String(name))?.data ?? new Uint8Array(),
    Glob: (pattern: unknown) => filesObject(files.filter(file => globMatch(String(pattern), file.name)), toYaml),
    Lines: (name: unknown) => {
      const file = byName.get(String(name));
      if (!file) return [];
      return fileText(file).split('\n');
    },
    AsConfig: () => (files.length ? toYaml(Object.fromEntries(files.map(file => [baseName(file.name), fileText(file)]))) : ''),
    AsSecrets: () => (files.length ? toYaml(Object.fromEntries(files.map(file => [baseName(file.name), base64(file.data)]))) : ''),
  };
  // The entries are data; the methods are not enumerable, which is how the executor tells a map type's methods.
  const object: GoMap = Object.fromEntries(files.map(file => [file.name, file.data]));
  for (const [name, method] of Object.entries(methods)) Object.defineProperty(object, name, { value: method, enumerable: false });
  return defineGoType(object, 'engine.files', 'map');
}

function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function base64(data: Uint8Array): string {
  let binary = '';
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * `.Files.Glob` patterns (gobwas/glob with `/` as the separator): `**` crosses folders, `*` and `?` do not,
 * `[...]` classes and `{a,b}` alternatives. Matching memoises (pattern position, name position) pairs, so it is
 * polynomial at worst, never exponential.
 */
export function globMatch(pattern: string, name: string): boolean {
  const alternatives = expandBraces(pattern);
  return alternatives.some(alternative => {
    if (!alternative.includes('**')) { try { return pathMatch(alternative, name); } catch { return false; } }
    const parts = alternative.split('**');
    // `**` is any run of characters; each part between them is matched as a Go path pattern piece by piece.
    const memo = new Map<string, boolean>();
    const match = (part: number, at: number): boolean => {
      const key = `${part}:${at}`;
      const known = memo.get(key);
      if (known !== undefined) return known;
      let result = false;
      if (part === parts.length - 1) result = tryMatch(parts[part], name.slice(at));
      else for (let end = at; end <= name.length && !result; end++) {
        if (!tryMatch(parts[part], name.slice(at, end))) continue;
        for (let next = end; next <= name.length && !result; next++) result = match(part + 1, next);
      }
      memo.set(key, result);
      return result;
    };
    return match(0, 0);
  });
}

function tryMatch(pattern: string, name: string): boolean {
  try { return pathMatch(pattern, name); } catch { return false; }
}

function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  const close = open < 0 ? -1 : pattern.indexOf('}', open);
  if (close < 0) return [pattern];
  const head = pattern.slice(0, open), tail = pattern.slice(close + 1);
  return pattern.slice(open + 1, close).split(',').flatMap(choice => expandBraces(head + choice + tail));
}

/** The name a template set gives a chart's template: `<chart path>/templates/x.yaml`. */
export function templateName(chart: Chart, file: ChartFile): string {
  return `${chartFullPath(chart)}/${file.name}`;
}

/** The API versions a client-only render assumes (the built-in groups of Kubernetes), before `--api-versions`. */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1', 'admissionregistration.k8s.io/v1', 'apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1',
  'apiregistration.k8s.io/v1', 'apps/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'autoscaling/v1',
  'autoscaling/v2', 'batch/v1', 'certificates.k8s.io/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1',
  'events.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1', 'networking.k8s.io/v1', 'node.k8s.io/v1', 'policy/v1',
  'rbac.authorization.k8s.io/v1', 'scheduling.k8s.io/v1', 'storage.k8s.io/v1',
];
