// What a service mounts: its `volumes` in short (`./data:/data:ro`) and long syntax (`{type: bind, source, target,
// read_only}`) and its `tmpfs` paths, merged across `extends` layers by target as Compose merges them.
// Spec: https://github.com/compose-spec/compose-spec/blob/main/05-services.md#volumes and #tmpfs
import { isMap, isScalar, Node, Scalar, YAMLMap } from 'yaml';
import { isUnder } from '../volumes';
import { findPair } from '../yamlNodes';
import { ComposeService, isInterpolated, literalString, serviceListItems, ServiceField } from './model';
import { trimTrailing } from './text';

export type MountKind = 'bind' | 'volume' | 'tmpfs' | 'other' | 'unknown';

export interface ServiceMount {
  /** The item as written: a scalar in short syntax, a map in long syntax. */
  node: Scalar | YAMLMap;
  field: ServiceField;
  kind: MountKind;
  source?: string;
  /** Undefined when it depends on a variable. */
  target?: string;
  /** True or false as written; undefined when it depends on a variable. */
  readOnly?: boolean;
}

/** `C:\data` and `C:/data`: a Windows path, whose drive colon is not the separator. */
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/** A host path rather than a volume name: Compose takes a source with `/` or starting with `.` or `~` as a bind mount. */
function kindOfSource(source: string): MountKind {
  if (/^[./~]/.test(source) || source.includes('/') || source.includes('\\') || WINDOWS_DRIVE.test(source)) return 'bind';
  return isInterpolated(source) ? 'unknown' : 'volume';
}

/** `[SOURCE:]TARGET[:MODE]`: split at the colons that are not a Windows drive's. */
function shortSyntax(text: string): Pick<ServiceMount, 'kind' | 'source' | 'target' | 'readOnly'> {
  const drive = WINDOWS_DRIVE.test(text) ? 2 : 0;
  const parts = text.slice(drive).split(':');
  parts[0] = text.slice(0, drive) + parts[0];
  if (parts.length === 1) return { kind: 'volume', target: literalTarget(parts[0]), readOnly: false };
  const [source, target, mode = ''] = parts;
  const readOnly = isInterpolated(mode) ? undefined : mode.split(',').includes('ro');
  return { kind: kindOfSource(source), source, target: literalTarget(target), readOnly };
}

function literalTarget(target: string): string | undefined {
  return isInterpolated(target) ? undefined : target;
}

function longSyntax(map: YAMLMap): Pick<ServiceMount, 'kind' | 'source' | 'target' | 'readOnly'> {
  const value = (key: string) => findPair(map, key)?.value as Node | undefined;
  const type = literalString(value('type'));
  const source = literalString(value('source'));
  const target = literalString(value('target'));
  const readOnlyNode = value('read_only');
  const readOnlyValue = isScalar(readOnlyNode) ? readOnlyNode.value : undefined;
  const readOnly = readOnlyValue === true ? true : typeof readOnlyValue === 'string' && isInterpolated(readOnlyValue) ? undefined : false;
  const kind: MountKind = type === 'bind' || type === 'volume' || type === 'tmpfs' ? type : type === undefined ? 'unknown' : 'other';
  return { kind, source, target, readOnly };
}

/** The service's volumes, nearest layer first; a base's volume at a target the service mounts again is left out. */
export function serviceMounts(service: ComposeService): ServiceMount[] {
  const mounts: ServiceMount[] = [];
  const targets = new Set<string>();
  for (const { node, field } of serviceListItems(service, 'volumes')) {
    let parsed: Pick<ServiceMount, 'kind' | 'source' | 'target' | 'readOnly'>;
    if (isScalar(node) && typeof node.value === 'string') parsed = shortSyntax(node.value);
    else if (isMap(node)) parsed = longSyntax(node);
    else continue;
    if (parsed.target !== undefined && field.layer > 0 && targets.has(parsed.target)) continue;
    if (parsed.target !== undefined) targets.add(parsed.target);
    mounts.push({ node: node as Scalar | YAMLMap, field, ...parsed });
  }
  return mounts;
}

/** The paths of `tmpfs:` (a path or a list of them, each maybe with `:options`), as written without variables. */
export function tmpfsPaths(service: ComposeService): string[] {
  return serviceListItems(service, 'tmpfs').flatMap(({ node }) => {
    const text = literalString(node);
    return text ? [text.split(':')[0]] : [];
  });
}

/** The paths that no volume or tmpfs of the service covers. */
export function uncoveredServicePaths(service: ComposeService, paths: readonly string[]): string[] {
  const covered = [...serviceMounts(service).flatMap(mount => (mount.target ? [mount.target] : [])), ...tmpfsPaths(service)];
  return paths.filter(path => !covered.some(mount => isUnder(path, mount)));
}

/** Does a mount name the Docker daemon's socket? Whoever holds it can start a privileged container: root on the host. */
export function isDockerSocket(mount: ServiceMount): boolean {
  const source = mount.source === undefined ? undefined : trimTrailing(mount.source, '/');
  return mount.kind === 'bind' && (source === '/var/run/docker.sock' || source === '/run/docker.sock');
}
