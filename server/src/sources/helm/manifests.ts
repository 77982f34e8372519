// From rendered template files to `helm template`'s output (pkg/release/util: SplitManifests, SortManifests,
// kind_sorter.go; pkg/action/action.go renderResources; pkg/cmd/template.go): each file cut at its `---` lines,
// every document trimmed, hooks set apart by their `helm.sh/hook` annotation, the rest sorted by kind in install
// order (stably: by file path, then position in the file), and each printed under a `# Source:` line.
import { parse as parseYaml } from 'yaml';

/** Kubernetes kinds in the order Helm installs them; other kinds come after, by kind name. */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role',
  'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

const HOOK_ANNOTATION = 'helm.sh/hook';
const HOOK_EVENTS = new Set(['pre-install', 'post-install', 'pre-delete', 'post-delete', 'pre-upgrade', 'post-upgrade', 'pre-rollback', 'post-rollback', 'test', 'test-success']);

/** One document of a rendered file: its template's name, its trimmed text and where that text starts in the file. */
export interface Manifest {
  /** The template's full name (`mychart/templates/deployment.yaml`). */
  path: string;
  content: string;
  /** Offset of `content` in the file's rendered text. */
  offset: number;
  kind: string;
  /** For hooks: their events. */
  hookEvents?: string[];
}

export class ManifestError extends Error {}

/**
 * The documents of a rendered file as Helm cuts them: at each line that starts with `---` (the marker and the white
 * space after it go), each document without its leading white space but with its trailing lines as rendered;
 * documents of white space only are dropped.
 */
export function splitManifests(text: string): { content: string; offset: number }[] {
  const out: { content: string; offset: number }[] = [];
  const push = (from: number, to: number) => {
    while (from < to && isSpace(text[from])) from++;
    if (to > from) out.push({ content: text.slice(from, to), offset: from });
  };
  const nextLine = (at: number) => text.indexOf('\n', at) + 1 || text.length;
  let from = 0;
  for (let line = 0; line < text.length;) {
    if (!text.startsWith('---', line)) { line = nextLine(line); continue; }
    push(from, line);
    let end = line + 3;
    while (end < text.length && isSpace(text[end])) end++;
    from = end;
    // The white space after the marker may end at a line's start, where the next marker can stand.
    line = text[end - 1] === '\n' ? end : nextLine(end);
  }
  push(from, text.length);
  return out;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

interface Head { kind?: unknown; metadata?: { name?: unknown; annotations?: Record<string, unknown> } }

/**
 * Sorts the rendered files' documents as Helm does: files in path order (partials and blank files skipped),
 * documents in file order; hooks apart; both stably by kind. Throws on a document that is not YAML, naming its file.
 */
export function sortManifests(files: ReadonlyMap<string, string>): { manifests: Manifest[]; hooks: Manifest[] } {
  const manifests: Manifest[] = [];
  const hooks: Manifest[] = [];
  for (const path of [...files.keys()].sort(byBytes)) {
    const text = files.get(path)!;
    if (baseName(path).startsWith('_') || !text.trim()) continue;
    for (const { content, offset } of splitManifests(text)) {
      const head = parseHead(content, path);
      const kind = typeof head?.kind === 'string' ? head.kind : '';
      const hookTypes = head?.metadata?.annotations?.[HOOK_ANNOTATION];
      if (typeof hookTypes !== 'string') { manifests.push({ path, content, offset, kind }); continue; }
      const events = hookTypes.split(',').map(type => type.trim().toLowerCase());
      if (events.every(event => HOOK_EVENTS.has(event))) hooks.push({ path, content, offset, kind, hookEvents: events });
    }
  }
  return { manifests: sortByKind(manifests), hooks: sortByKind(hooks) };
}

function parseHead(content: string, path: string): Head | undefined {
  try {
    const value = parseYaml(content, { version: '1.1', uniqueKeys: false, prettyErrors: false }) as unknown;
    return value !== null && typeof value === 'object' ? value as Head : undefined;
  } catch (error) {
    throw new ManifestError(`YAML parse error on ${path}: error converting YAML to JSON: yaml: ${yamlErrorText(error as Error, content)}`);
  }
}

/** A YAML error in go-yaml's words where they are known (`line N: could not find expected ':'`), else ours. */
function yamlErrorText(error: Error & { linePos?: { line: number }[]; code?: string }, content: string): string {
  const line = error.linePos?.[0]?.line;
  const first = error.message.split('\n')[0];
  if (/Implicit map keys need to be followed by map values|Implicit keys need to be on a single line/.test(first)) {
    // go-yaml notices the missing colon where the next token starts: the line after the last one of the key.
    return `line ${content.trimEnd().split('\n').length + 1}: could not find expected ':'`;
  }
  return line ? `line ${line}: ${first}` : first;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByKind(list: Manifest[]): Manifest[] {
  const rank = new Map(INSTALL_ORDER.map((kind, i) => [kind, i]));
  return list
    .map((manifest, index) => ({ manifest, index }))
    .sort((a, b) => {
      const ra = rank.get(a.manifest.kind), rb = rank.get(b.manifest.kind);
      if (ra === undefined && rb === undefined) return a.manifest.kind !== b.manifest.kind ? byBytes(a.manifest.kind, b.manifest.kind) : a.index - b.index;
      if (ra === undefined) return 1;
      if (rb === undefined) return -1;
      return ra - rb || a.index - b.index;
    })
    .map(({ manifest }) => manifest);
}

export function isTestHook(manifest: Manifest): boolean {
  return manifest.hookEvents?.some(event => event === 'test' || event === 'test-success') ?? false;
}
