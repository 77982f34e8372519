// The configuration model shared by the editor and the CLI: what `.kube-immutable.yaml` and the
// `kubeImmutable.*` settings may say, how each is validated (with positions, for diagnostics on the key at
// fault), and how the two are merged. Nothing here reads files or knows about LSP.
import { Document, isAlias, isMap, isScalar, isSeq, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { AnalyzeOptions, PARSE_ERROR_RULE, positionsOf } from './analyze';
import { globProblem } from './globs';
import { MAX_NESTING_DEPTH, parseBounded } from './limits';
import { docsUrl, messagesOf } from './rule';
import { RULES } from './rules';
import { UNUSED_SUPPRESSION_RULE } from './suppressions';
import { Range, RuleMeta, SEVERITY_SETTINGS, SeveritySetting } from './types';
import { isLevel, Level } from './podSecurity/levels';
import { configuredPolicies } from './podSecurity/namespaces';

export const CONFIG_FILE_NAME = '.kube-immutable.yaml';

/**
 * Bounds on a configuration, which may come from a repository nobody has reviewed: real ones are a few hundred
 * bytes with a handful of globs. The `yaml` parser reads about 1 MB/s (less on a busy machine), so 64 KB keeps a
 * configuration's parse well under a tenth of a second. A glob is matched against every path a walk meets, so
 * their number and length bound the cost of a walk (and minimatch refuses patterns over 64 KB).
 */
export const CONFIG_LIMITS = { maxLength: 64 << 10, maxGlobs: 100, maxGlobLength: 1000 };

/** Checks the engine reports beside the rules: they have ids and severities like rules. */
export const BUILT_IN_CHECKS: readonly RuleMeta[] = [
  {
    id: PARSE_ERROR_RULE, defaultSeverity: 'error', description: 'A document that is not valid YAML, and so was not analysed.', docsUrl: docsUrl(PARSE_ERROR_RULE),
    messages: messagesOf(PARSE_ERROR_RULE, {
      syntax: 'The document is not valid YAML.',
      binary: 'The document holds a NUL byte: binary data, not YAML text.',
      'too-deep': 'The YAML nests deeper than the analysis follows.',
      'alias-bomb': 'Aliases expand the document beyond the limit (an alias bomb).',
    }),
  },
  {
    id: UNUSED_SUPPRESSION_RULE, defaultSeverity: 'hint', description: 'A suppression comment or annotation that suppresses nothing.', docsUrl: docsUrl(UNUSED_SUPPRESSION_RULE),
    messages: messagesOf(UNUSED_SUPPRESSION_RULE, { unused: 'A suppression names a rule that reports nothing there.' }),
  },
];

/** Every id a severity can be configured for. */
export function configurableRuleIds(): string[] {
  return [...RULES.map(rule => rule.meta.id), ...BUILT_IN_CHECKS.map(check => check.id)];
}

/** What one source of configuration says; absent keys leave the decision to the other source or the default. */
export interface ConfigLayer {
  rules?: Record<string, SeveritySetting>;
  exclude?: string[];
  imageWritePaths?: Record<string, string[]>;
  exemptImages?: string[];
  peerAnnotations?: boolean;
  /** The Pod Security Standard of namespaces that are not defined in the linted files, `*` for any other. */
  podSecurity?: { namespaces: Record<string, Level> };
  /** Compose projects whose files are not the default `compose.yaml` + `compose.override.yaml`: a folder (relative to the configuration) and its chain, base first. */
  compose?: { projects: Record<string, string[]> };
  /** How each chart is rendered for linting, by its folder relative to the configuration: one value set or several. */
  helm?: { charts: Record<string, ChartValueSet[]> };
}

/** One way to render a chart (`helm.charts.<dir>`): values files (relative to the chart), `--set` values, release. */
export interface ChartValueSet {
  /** How findings name the set (`prod`); without it, by its values files, `set` values and namespace. */
  name?: string;
  values?: string[];
  set?: Record<string, string>;
  namespace?: string;
  releaseName?: string;
  kubeVersion?: string;
}

/** The configuration in effect for a file. */
export interface Config {
  rules: Record<string, SeveritySetting>;
  exclude: string[];
  imageWritePaths: Record<string, string[]>;
  exemptImages: string[];
  peerAnnotations: boolean;
  podSecurityNamespaces: Record<string, Level>;
  composeProjects: Record<string, string[]>;
  helmCharts: Record<string, ChartValueSet[]>;
}

export interface ConfigProblem {
  /** Dotted path of the key at fault, e.g. `rules.no-such-rule`. */
  path: string;
  message: string;
  /** Where in the config file (absent for settings, which have no text). */
  range?: Range;
}

export interface ParsedConfig {
  layer: ConfigLayer;
  problems: ConfigProblem[];
}

const KEYS = ['rules', 'exclude', 'imageWritePaths', 'exemptImages', 'peerAnnotations', 'podSecurity', 'compose', 'helm'] as const;
type Key = typeof KEYS[number];

/** Reads the text of a `.kube-immutable.yaml`; what is wrong is reported, and only what is right is kept. */
export function parseConfigFile(text: string): ParsedConfig {
  const toRange = rangeIn(text);
  const fail = (message: string, span: readonly [number, number] = [0, 0]): ParsedConfig => ({ layer: {}, problems: [{ path: '', message, range: toRange(span) }] });
  if (text.length > CONFIG_LIMITS.maxLength) return fail(`The configuration is ${text.length} characters long; it may be at most ${CONFIG_LIMITS.maxLength}.`);
  // The manifests' parser, bounded in nesting depth and linear in the number of keys.
  const docs = parseBounded(text, { version: '1.2' });
  if (!Array.isArray(docs)) return fail(`The configuration nests more than ${MAX_NESTING_DEPTH} levels deep, so it was not read.`, [docs.tooDeepAt, docs.tooDeepAt + 1]);
  const doc = docs[0] ?? new Document(null);
  const error = doc.errors[0];
  if (error) return fail(`YAML syntax error: ${error.message.split('\n')[0]}`, error.pos);
  if (docs.length > 1) return fail('The configuration must be one YAML document.', docs[1].range ? [docs[1].range[0], docs[1].range[0]] : [0, 0]);
  return validateLayer(doc, toRange);
}

/** Validates the `kubeImmutable` settings of an editor (without the editor-only keys) like a config file. */
export function parseSettings(settings: unknown): ParsedConfig {
  const doc = new Document(settings ?? {});
  return validateLayer(doc, () => undefined);
}

type ToRange = (span: readonly [number, number]) => Range | undefined;

function validateLayer(doc: Document, toRange: ToRange): ParsedConfig {
  const problems: ConfigProblem[] = [];
  const layer: ConfigLayer = {};
  const problem = (path: string, node: unknown, message: string) => {
    const span = (node as Node | undefined)?.range;
    problems.push({ path, message, ...(span ? { range: toRange([span[0], span[1]]) } : {}) });
  };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { layer, problems };
  if (!isMap(root)) {
    problem('', root, 'The configuration must be a mapping of keys such as rules, exclude, imageWritePaths, exemptImages, peerAnnotations, podSecurity, helm.');
    return { layer, problems };
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (!key || !(KEYS as readonly string[]).includes(key)) {
      problem(key ?? '', pair.key, `Unknown key "${key ?? ''}": expected one of ${KEYS.join(', ')}.`);
      continue;
    }
    const value = pair.value as Node | null;
    const read = READERS[key as Key];
    const at = (path: string, node: unknown, message: string) => problem(path ? `${key}.${path}` : key, node ?? pair.key, message);
    read(value, layer, at);
  }
  return { layer, problems };
}

type Report = (path: string, node: unknown, message: string) => void;

const RULE_SEVERITY_HINT = `one of ${SEVERITY_SETTINGS.join(', ')}`;

/** One reader per top-level key: it checks the value's shape and copies what is valid into the layer. */
const READERS: Record<Key, (value: Node | null, layer: ConfigLayer, report: Report) => void> = {
  rules(value, layer, report) {
    if (!isMap(value)) return report('', value, `rules must be a mapping of rule id to severity (${RULE_SEVERITY_HINT}).`);
    const known = configurableRuleIds();
    const rules: Record<string, SeveritySetting> = {};
    for (const pair of value.items) {
      const id = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!known.includes(id)) { report(id, pair.key, `Unknown rule "${id}": expected one of ${known.join(', ')}.`); continue; }
      const severity = isScalar(pair.value) ? pair.value.value : undefined;
      if (!SEVERITY_SETTINGS.includes(severity as SeveritySetting)) {
        report(id, pair.value, `The severity of ${id} must be ${RULE_SEVERITY_HINT}.`);
        continue;
      }
      rules[id] = severity as SeveritySetting;
    }
    layer.rules = rules;
  },
  exclude(value, layer, report) {
    const globs = stringList(value, 'exclude', 'a list of glob patterns', report);
    if (!globs) return;
    if (globs.length > CONFIG_LIMITS.maxGlobs) return report('', value, `exclude has ${globs.length} patterns; it may have at most ${CONFIG_LIMITS.maxGlobs}.`);
    const long = globs.findIndex(glob => glob.length > CONFIG_LIMITS.maxGlobLength);
    if (long >= 0) return report('', (value as YAMLSeq).items[long], `An exclude pattern may be at most ${CONFIG_LIMITS.maxGlobLength} characters long; this one has ${globs[long].length}.`);
    const unusable = globs.findIndex(globProblem);
    if (unusable >= 0) return report('', (value as YAMLSeq).items[unusable], globProblem(globs[unusable])!);
    layer.exclude = globs;
  },
  exemptImages(value, layer, report) {
    const images = stringList(value, 'exemptImages', 'a list of image names', report);
    if (images) layer.exemptImages = images;
  },
  imageWritePaths(value, layer, report) {
    if (!isMap(value)) return report('', value, 'imageWritePaths must be a mapping of image repository to a list of absolute paths.');
    const paths: Record<string, string[]> = {};
    for (const pair of value.items) {
      const image = isScalar(pair.key) ? String(pair.key.value) : '';
      const at: Report = (_path, node, message) => report(image, node ?? pair.key, message);
      const list = stringList(pair.value as Node | null, image, 'a list of absolute paths', at);
      const relative = list?.findIndex(path => !path.startsWith('/')) ?? -1;
      if (relative >= 0) at('', (pair.value as YAMLSeq).items[relative], `"${list![relative]}" is not an absolute path.`);
      else if (list) paths[image] = list;
    }
    layer.imageWritePaths = paths;
  },
  peerAnnotations(value, layer, report) {
    if (!isScalar(value) || typeof value.value !== 'boolean') return report('', value, 'peerAnnotations must be true or false.');
    layer.peerAnnotations = value.value;
  },
  podSecurity(value, layer, report) {
    const shape = 'podSecurity must be a mapping with the key namespaces: a mapping of namespace (or *) to privileged, baseline or restricted.';
    if (!isMap(value)) return report('', value, shape);
    const namespaces: Record<string, Level> = {};
    for (const pair of value.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key !== 'namespaces') { report(key, pair.key, `Unknown key "${key}": ${shape}`); continue; }
      if (!isMap(pair.value)) { report('namespaces', pair.value ?? pair.key, shape); continue; }
      for (const entry of pair.value.items) {
        const namespace = isScalar(entry.key) ? String(entry.key.value) : '';
        const level = isScalar(entry.value) ? entry.value.value : undefined;
        if (!isLevel(level)) { report(`namespaces.${namespace}`, entry.value ?? entry.key, `The level of namespace "${namespace}" must be privileged, baseline or restricted.`); continue; }
        namespaces[namespace] = level;
      }
    }
    layer.podSecurity = { namespaces };
  },
  compose(value, layer, report) {
    const shape = 'compose must be a mapping with the key projects: a mapping of folder to {files: [the Compose files, base first]}.';
    if (!isMap(value)) return report('', value, shape);
    const projects: Record<string, string[]> = {};
    for (const pair of value.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key !== 'projects') { report(key, pair.key, `Unknown key "${key}": ${shape}`); continue; }
      if (!isMap(pair.value)) { report('projects', pair.value ?? pair.key, shape); continue; }
      for (const entry of pair.value.items) {
        const folder = isScalar(entry.key) ? String(entry.key.value) : '';
        const files = isMap(entry.value) ? entry.value.items.find(item => isScalar(item.key) && item.key.value === 'files') : undefined;
        const at: Report = (_path, node, message) => report(`projects.${folder}.files`, node ?? entry.key, message);
        if (!files || (entry.value as YAMLMap).items.length !== 1) { at('', entry.value ?? entry.key, `The project "${folder}" must be a mapping with the one key files: its Compose files, base first.`); continue; }
        const list = stringList(files.value as Node | null, 'files', 'a list of Compose files, base first', at);
        const outside = list?.findIndex(file => file.startsWith('/') || file.split(/[\\/]/).includes('..')) ?? -1;
        if (outside >= 0) at('', ((files.value as YAMLSeq).items[outside]), `"${list![outside]}" must be a path inside the project's folder.`);
        else if (list?.length) projects[folder] = list;
        else if (list) at('', files.value, 'files must name at least one Compose file.');
      }
    }
    layer.compose = { projects };
  },
  helm(value, layer, report) {
    const shape = 'helm must be a mapping with the key charts: a mapping of chart folder to a value set or a list of value sets (name, values, set, namespace, releaseName, kubeVersion).';
    if (!isMap(value)) return report('', value, shape);
    const charts: Record<string, ChartValueSet[]> = {};
    for (const pair of value.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key !== 'charts') { report(key, pair.key, `Unknown key "${key}": ${shape}`); continue; }
      if (!isMap(pair.value)) { report('charts', pair.value ?? pair.key, shape); continue; }
      for (const entry of pair.value.items) {
        const chart = isScalar(entry.key) ? String(entry.key.value) : '';
        const at: Report = (path, node, message) => report(`charts.${chart}${path ? `.${path}` : ''}`, node ?? entry.key, message);
        const sets = isSeq(entry.value) ? entry.value.items : [entry.value];
        const read = sets.map((set, index) => readValueSet(set as Node | null, isSeq(entry.value) ? String(index) : '', at));
        if (read.every(set => set)) charts[chart] = read as ChartValueSet[];
      }
    }
    layer.helm = { charts };
  },
};

const VALUE_SET_KEYS = ['name', 'values', 'set', 'namespace', 'releaseName', 'kubeVersion'];

/** One value set of a chart; undefined (reported) when any part of it is wrong. */
function readValueSet(value: Node | null, path: string, report: Report): ChartValueSet | undefined {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (!isMap(value)) { report(path, value, `A value set must be a mapping of ${VALUE_SET_KEYS.join(', ')}.`); return undefined; }
  const set: ChartValueSet = {};
  let valid = true;
  for (const pair of value.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const item = pair.value as Node | null;
    const fail = (message: string) => { report(at(key), item ?? pair.key, message); valid = false; };
    if (key === 'values') {
      const files = stringList(item, 'values', 'a list of values files, relative to the chart', (_p, node, message) => { report(at(key), node, message); valid = false; });
      if (files) set.values = files;
    } else if (key === 'set') {
      if (!isMap(item) || item.items.some(p => !isScalar(p.key) || !isScalar(p.value))) { fail('set must be a mapping of value path (as Helm\'s --set takes it) to a value.'); continue; }
      set.set = Object.fromEntries(item.items.map(p => [String((p.key as Scalar).value), String((p.value as Scalar).value)]));
    } else if (key === 'name' || key === 'namespace' || key === 'releaseName' || key === 'kubeVersion') {
      if (!isScalar(item) || typeof item.value !== 'string' || !item.value) { fail(`${key} must be a non-empty string.`); continue; }
      set[key] = item.value;
    } else {
      report(at(key), pair.key, `Unknown key "${key}": expected one of ${VALUE_SET_KEYS.join(', ')}.`);
      valid = false;
    }
  }
  return valid ? set : undefined;
}

function stringList(value: Node | null, name: string, what: string, report: Report): string[] | undefined {
  if (isAlias(value)) { report('', value, `${name} must be ${what}, written out: aliases are not read.`); return undefined; }
  if (!isSeq(value)) { report('', value, `${name} must be ${what}.`); return undefined; }
  const bad = value.items.find(item => !isScalar(item) || typeof item.value !== 'string' || !item.value);
  if (bad) { report('', bad, `${name} must be ${what}: each item a non-empty string.`); return undefined; }
  return value.items.map(item => (item as Scalar<string>).value);
}

function rangeIn(text: string): (span: readonly [number, number]) => Range {
  const position = positionsOf(text);
  return ([start, end]) => ({ start: position(start), end: position(end) });
}

/**
 * The configuration in effect: the repository's file wins key by key over the editor settings, which fill
 * in what the file leaves out (as markdownlint does with `.markdownlint.*`), so the editor and CI agree.
 * Lists are joined: a path excluded or an image exempted by either source stays so.
 */
export function mergeConfig(settings: ConfigLayer, file: ConfigLayer): Config {
  const imageWritePaths: Record<string, string[]> = { ...settings.imageWritePaths };
  for (const [image, paths] of Object.entries(file.imageWritePaths ?? {})) {
    imageWritePaths[image] = [...new Set([...(imageWritePaths[image] ?? []), ...paths])];
  }
  return {
    rules: { ...settings.rules, ...file.rules },
    exclude: [...new Set([...(settings.exclude ?? []), ...(file.exclude ?? [])])],
    imageWritePaths,
    exemptImages: [...new Set([...(settings.exemptImages ?? []), ...(file.exemptImages ?? [])])],
    peerAnnotations: file.peerAnnotations ?? settings.peerAnnotations ?? true,
    podSecurityNamespaces: { ...settings.podSecurity?.namespaces, ...file.podSecurity?.namespaces },
    composeProjects: { ...settings.compose?.projects, ...file.compose?.projects },
    helmCharts: { ...settings.helm?.charts, ...file.helm?.charts },
  };
}

export function toAnalyzeOptions(config: Config): AnalyzeOptions {
  return {
    severities: config.rules,
    imageWritePaths: config.imageWritePaths,
    exemptImages: config.exemptImages,
    peerAnnotations: config.peerAnnotations,
    ...(Object.keys(config.podSecurityNamespaces).length ? { podSecurity: configuredPolicies(config.podSecurityNamespaces) } : {}),
  };
}
