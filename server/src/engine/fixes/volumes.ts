// Names for the volumes a fix adds: they say what they hold (`/var/cache/nginx` becomes `var-cache-nginx`)
// without clashing with existing ones.

/** A DNS label (what Kubernetes requires of volume names) made from a path: `/var/cache/nginx` -> `var-cache-nginx`. */
export function nameForPath(path: string): string {
  const name = trimDashes(trimDashes(path.toLowerCase().replace(/[^a-z0-9]+/g, '-')).slice(0, 50));
  return name || 'root';
}

/** Without the dashes at either end; a loop, since `/-+$/` backtracks quadratically on a run of dashes. */
function trimDashes(name: string): string {
  let start = 0;
  let end = name.length;
  while (start < end && name[start] === '-') start++;
  while (end > start && name[end - 1] === '-') end--;
  return name.slice(start, end);
}

/** `base`, else `base-2`, `base-3`, ...: the first that `taken` lacks, which is then added to `taken`. */
export function unusedName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}
