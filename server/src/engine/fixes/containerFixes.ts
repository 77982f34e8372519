// The fixes that make a container immutable: what each adds to the container and to its pod spec, written
// into the YAML as one set of minimal edits. Rules pick the ones that fit their finding.
import { EngineOptions, FixSpec, OffsetEdit } from '../rule';
import { WritePath, writePathsForImage } from '../knowledge/imageWritePaths';
import { Container, containerArguments } from '../workloads';
import { ValueMap, Value, isValueMap } from './render';
import { editorFor, Unfixable } from './yamlEdits';
import { containerNames, uncoveredPaths, volumeNames, withoutTrailingSlashes } from '../volumes';
import { nameForPath, unusedName } from './volumes';
import { namedUserImage } from '../knowledge/rootImages';

/** What a fix makes a container and its pod spec hold, and text it removes elsewhere in the container. */
export interface ContainerChange {
  container: ValueMap;
  pod: ValueMap;
  removed?: OffsetEdit[];
}

/** Deep merge: maps are merged key by key, lists concatenated, other values taken from `b`. */
function combine(a: ValueMap, b: ValueMap): ValueMap {
  const result: ValueMap = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const present: Value | undefined = result[key];
    if (present !== undefined && isValueMap(present) && isValueMap(value)) result[key] = combine(present, value);
    else if (Array.isArray(present) && Array.isArray(value)) result[key] = [...present, ...value];
    else result[key] = value;
  }
  return result;
}

/** The edits of a change: the removals, then the container (nested deeper, so first), then the pod spec. */
export function changeEdits(container: Container, text: string, change: ContainerChange): OffsetEdit[] {
  const editor = editorFor(text, container.pod.object.doc);
  const options = { removed: change.removed };
  return [
    ...(change.removed ?? []),
    ...editor.merge(container.node, change.container, options),
    ...editor.merge(container.pod.node, change.pod, options),
  ];
}

/** A fix, or nothing when its edits could not be made safely or would change nothing. */
export function fixOf(title: string, edits: () => OffsetEdit[], isPreferred = false): FixSpec | undefined {
  try {
    const computed = edits();
    const changes = computed.flatMap(edit => edit.changes ?? []);
    return computed.length ? { title, edits: computed, changes, ...(isPreferred ? { isPreferred } : {}) } : undefined;
  } catch (error) {
    if (error instanceof Unfixable) return undefined;
    throw error;
  }
}

export function offered(fixes: (FixSpec | undefined)[]): FixSpec[] {
  return fixes.filter((fix): fix is FixSpec => !!fix);
}

/** The fixes that can be made, made in order; with `untilPreferred`, none after the first preferred one (see Report.fixes). */
export function offeredInTurn(makers: readonly (() => FixSpec | undefined)[], untilPreferred?: boolean): FixSpec[] {
  const fixes: FixSpec[] = [];
  for (const make of makers) {
    const fix = make();
    if (!fix) continue;
    fixes.push(fix);
    if (untilPreferred && fix.isPreferred) break;
  }
  return fixes;
}

/** The write paths of the container's image that no mount covers (none for an image not known), once each. */
export function missingWritePaths(container: Container, options: EngineOptions): WritePath[] {
  const paths = container.image ? writePathsForImage(container.image, options.imageWritePaths) : undefined;
  if (!paths) return [];
  const args = containerArguments(container);
  const known = paths.filter(entry => !entry.notWrittenWith?.(args));
  const uncovered = new Set(uncoveredPaths(container, known.map(entry => entry.path)));
  return known.filter(entry => uncovered.delete(entry.path));
}

export const READ_ONLY_ROOT: ContainerChange = { container: { securityContext: { readOnlyRootFilesystem: true } }, pod: {} };

/** One emptyDir volume and one mount per path, named after the path. */
export function emptyDirs(container: Container, paths: readonly string[], taken = volumeNames(container.pod)): ContainerChange {
  if (!paths.length) return { container: {}, pod: {} };
  const names = paths.map(path => unusedName(nameForPath(path), taken));
  return {
    container: { volumeMounts: paths.map((mountPath, i) => ({ name: names[i], mountPath })) },
    pod: { volumes: names.map(name => ({ name, emptyDir: {} })) },
  };
}

/** Read-only root, with emptyDir volumes at the paths the image is known to write. */
export function readOnlyRootWithWritePaths(container: Container, options: EngineOptions, taken = volumeNames(container.pod)): ContainerChange {
  return merged(READ_ONLY_ROOT, emptyDirs(container, missingWritePaths(container, options).map(entry => entry.path), taken));
}

export function merged(...changes: ContainerChange[]): ContainerChange {
  return changes.reduce((a, b) => ({
    container: combine(a.container, b.container),
    pod: combine(a.pod, b.pod),
    removed: [...(a.removed ?? []), ...(b.removed ?? [])],
  }));
}

/**
 * The restricted Pod Security Standard for one container: read-only root, no privilege escalation, not
 * privileged, non-root, all capabilities dropped, and the
 * RuntimeDefault seccomp profile at pod level when neither level sets one.
 */
export function hardened(container: Container, options: EngineOptions): ContainerChange {
  const { effective } = container;
  const securityContext: ValueMap = { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false };
  if (effective.privileged && effective.privileged.value !== false) securityContext.privileged = false;
  // A numeric runAsUser decides by itself: non-zero is non-root already, and 0 is the run-as-root rule's to settle.
  if (effective.runAsNonRoot?.value !== true && typeof effective.runAsUser?.value !== 'number') securityContext.runAsNonRoot = true;
  // An image that names its user needs the UID beside runAsNonRoot: true, or the kubelet cannot check it.
  const named = namedUserImage(container);
  if (named) securityContext.runAsUser = named.uid;
  securityContext.capabilities = { drop: ['ALL'] };
  const pod: ValueMap = effective.seccompProfile ? {} : { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } };
  return merged({ container: { securityContext }, pod }, readOnlyRootWithWritePaths(container, options));
}

const PREPARED = '/prepared';

/**
 * `path` served from an emptyDir volume that an init container fills with the image's own content at that path
 * (`cp -a <path>/. /prepared/`), so the app starts with the files it ships. The init container runs the same
 * image as the same user, hardened; the app mounts the volume read-only unless it must write there.
 */
export function preparedByInitContainer(container: Container, path: string, readOnly: boolean, taken = volumeNames(container.pod)): ContainerChange {
  if (!container.image) throw new Unfixable('a container without an image');
  const base = nameForPath(path);
  const volume = unusedName(base, taken);
  const name = unusedName(`prepare-${base}`, containerNames(container.pod));
  const securityContext: ValueMap = {};
  for (const field of ['runAsUser', 'runAsGroup', 'runAsNonRoot'] as const) {
    const setting = container.effective[field];
    if (setting?.level === 'container' && (typeof setting.value === 'number' || typeof setting.value === 'boolean')) securityContext[field] = setting.value;
  }
  Object.assign(securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  const initContainer: ValueMap = {
    name,
    image: container.image,
    command: ['cp', '-a', `${withoutTrailingSlashes(path)}/.`, `${PREPARED}/`],
    securityContext,
    volumeMounts: [{ name: volume, mountPath: PREPARED }],
  };
  return {
    container: { volumeMounts: [{ name: volume, mountPath: path, ...(readOnly ? { readOnly: true } : {}) }] },
    pod: { initContainers: [initContainer], volumes: [{ name: volume, emptyDir: {} }] },
  };
}

export function pathList(paths: readonly string[]): string {
  return paths.join(', ');
}

/** `a`, `a and b`, `a, b and c`: a fix title from the steps it takes. */
export function steps(parts: readonly string[]): string {
  return parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
