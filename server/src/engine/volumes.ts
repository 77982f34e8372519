// The volumes of a pod spec and the mounts of a container, joined by volume name: what a rule needs to
// tell which mounts bring the node's filesystem into the container, and which paths the mounts cover.
import { isMap, isNode, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { Container, PodSpec } from './workloads';
import { findPair, getMap, getScalar, getSeq, getString, seqItems } from './yamlNodes';

export interface Volume {
  node: YAMLMap;
  name: string;
  /** The `hostPath:` pair when the volume is a hostPath volume. */
  hostPathPair?: Pair<Scalar, unknown>;
  /** The host path as written (`hostPath.path`). */
  hostPath?: string;
}

export interface VolumeMount {
  node: YAMLMap;
  /** The `name: x` pair, naming the volume. */
  namePair: Pair<Scalar, unknown>;
  name: string;
  mountPath?: string;
  /** The value of `readOnly:` when the mount has one (where a finding about it sits). */
  readOnlyValue?: Node;
  readOnly: boolean;
}

export function podVolumes(pod: PodSpec): Map<string, Volume> {
  const { doc } = pod.object;
  const volumes = new Map<string, Volume>();
  for (const node of seqItems(getSeq(pod.node, 'volumes', doc), doc)) {
    const name = getString(node, 'name', doc);
    if (!isMap(node) || name === undefined || volumes.has(name)) continue;
    const hostPathPair = findPair(node, 'hostPath');
    volumes.set(name, { node, name, hostPathPair, hostPath: getString(getMap(node, 'hostPath', doc), 'path', doc) });
  }
  return volumes;
}

export function volumeMounts(container: Container): VolumeMount[] {
  const { doc } = container.pod.object;
  return seqItems(getSeq(container.node, 'volumeMounts', doc), doc).flatMap(node => {
    const namePair = findPair(node, 'name');
    const name = getString(node, 'name', doc);
    if (!isMap(node) || !namePair || name === undefined) return [];
    const readOnlyValue = findPair(node, 'readOnly')?.value;
    const readOnly = getScalar(node, 'readOnly', doc) === true;
    return [{ node, namePair, name, mountPath: getString(node, 'mountPath', doc), readOnlyValue: isNode(readOnlyValue) ? readOnlyValue : undefined, readOnly }];
  });
}


/** `path` without the slashes that end it; a loop, since `/\/+$/` backtracks quadratically on a run of slashes inside a path. */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

/** Is `path` the directory `dir` or below it? */
export function isUnder(path: string, dir: string): boolean {
  const base = withoutTrailingSlashes(dir);
  return path === dir || path === base || path.startsWith(`${base}/`);
}

export function mountPaths(container: Container): string[] {
  return volumeMounts(container).flatMap(mount => (mount.mountPath ? [mount.mountPath] : []));
}

/** The paths that no volume mounted in the container covers. */
export function uncoveredPaths(container: Container, paths: readonly string[]): string[] {
  const mounts = mountPaths(container);
  return paths.filter(path => !mounts.some(mount => isUnder(path, mount)));
}

export function volumeNames(pod: PodSpec): Set<string> {
  return new Set(podVolumes(pod).keys());
}

export function containerNames(pod: PodSpec): Set<string> {
  return new Set(pod.containers.flatMap(container => (container.name ? [container.name] : [])));
}
