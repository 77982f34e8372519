// POSIX paths without Node: the sources name every file with `/` separators in both hosts (a Kustomize tree's
// paths are the same on Windows), and in the browser host every path is the path of a URI, so the browser build
// also serves `node:path` from this module. Each function returns what node:path.posix returns (the algorithms
// of Node's lib/path.js: a trailing `/` survives normalize and join, dirname does not normalise), except that
// relative() does not resolve relative paths against a working directory, which the browser has not.
export const sep = '/';

export function isAbsolute(path: string): boolean {
  return path.startsWith('/');
}

/** The segments of a path without `.` and empty ones, `..` applied; leading `..` kept when `aboveRoot` allows. */
function normalSegments(path: string, aboveRoot: boolean): string[] {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (!segment || segment === '.') continue;
    if (segment !== '..') out.push(segment);
    else if (out.length && out[out.length - 1] !== '..') out.pop();
    else if (aboveRoot) out.push('..');
  }
  return out;
}

export function normalize(path: string): string {
  if (!path) return '.';
  const absolute = isAbsolute(path);
  const trailing = path.endsWith('/');
  let normal = normalSegments(path, !absolute).join('/');
  if (!normal) return absolute ? '/' : trailing ? './' : '.';
  if (trailing) normal += '/';
  return absolute ? `/${normal}` : normal;
}

export function join(...paths: string[]): string {
  const joined = paths.filter(Boolean).join('/');
  return joined ? normalize(joined) : '.';
}

export function dirname(path: string): string {
  if (!path) return '.';
  const absolute = isAbsolute(path);
  let end = -1;
  let inTrailingSlashes = true;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === '/') {
      if (!inTrailingSlashes) { end = i; break; }
    } else {
      inTrailingSlashes = false;
    }
  }
  if (end === -1) return absolute ? '/' : '.';
  if (absolute && end === 1) return '//';
  return path.slice(0, end);
}

export function basename(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(path.lastIndexOf('/', end - 1) + 1, end);
}

/** The way from `from` to `to`, both taken from the root (every path of the browser host is absolute). */
export function relative(from: string, to: string): string {
  const a = normalSegments(from, false);
  const b = normalSegments(to, false);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}

/**
 * The absolute path that `paths` lead to, read from the right until one is absolute, normalised without a
 * trailing `/`. Where none is absolute, node:path resolves against the working directory; here (every path of
 * the browser host is absolute) against the root.
 */
export function resolve(...paths: string[]): string {
  let at = paths.length - 1;
  while (at > 0 && !isAbsolute(paths[at])) at--;
  return `/${normalSegments(paths.slice(at).filter(Boolean).join('/'), false).join('/')}`;
}
