// Volume facts the fixes need: which paths a container's mounts cover, and names for new volumes that
// say what they hold (`/var/cache/nginx` becomes `var-cache-nginx`) without clashing with existing ones.
import { Container, PodSpec } from '../workloads';
import { podVolumes, volumeMounts } from '../volumes';

/** Is `path` the directory `dir` or below it? */
export function isUnder(path: string, dir: string): boolean {
  const base = dir.replace(/\/+$/, '');
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

/** A DNS label (what Kubernetes requires of volume names) made from a path: `/var/cache/nginx` -> `var-cache-nginx`. */
export function nameForPath(path: string): string {
  const name = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  return name || 'root';
}

/** `base`, else `base-2`, `base-3`, ...: the first that `taken` lacks, which is then added to `taken`. */
export function unusedName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}
