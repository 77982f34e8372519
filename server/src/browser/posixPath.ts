// `node:path` for the browser host, where every path is the path of a URI: POSIX, `/`-separated, absolute.
// The build puts this module in place of `node:path` in the browser bundle; it holds only what the shared
// path code (paths.ts, lsp/) calls, with Node's results for absolute, normalised paths.
export const sep = '/';

export function isAbsolute(path: string): boolean {
  return path.startsWith('/');
}

function segments(path: string): string[] {
  return path.split('/').filter(segment => segment && segment !== '.');
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const segment of segments(path)) {
    if (segment === '..') out.pop(); else out.push(segment);
  }
  return `${isAbsolute(path) ? '/' : ''}${out.join('/')}` || '.';
}

export function join(...paths: string[]): string {
  return normalise(paths.filter(Boolean).join('/'));
}

export function dirname(path: string): string {
  const normal = normalise(path);
  const slash = normal.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : normal.slice(0, slash);
}

export function basename(path: string): string {
  const normal = normalise(path);
  return normal === '/' ? '' : normal.slice(normal.lastIndexOf('/') + 1);
}

/** The way from `from` to `to`; both absolute, as every path in the browser host is. */
export function relative(from: string, to: string): string {
  const a = segments(normalise(from));
  const b = segments(normalise(to));
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}
