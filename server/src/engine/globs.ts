// Glob patterns for `exclude`, matched against `/`-separated paths relative to the folder that holds the
// configuration. `**` spans directories, `*` and `?` stay within one name, `{a,b}` and `[abc]` as in a shell.
// As in .gitignore, a pattern without a `/` matches a name at any depth, and a pattern that matches a
// directory excludes everything below it. Matching is minimatch's (the matcher ESLint uses), which answers
// patterns such as `**/**/**/...` or `*a*a*a*...` at once, where a translation to one RegExp backtracks for
// minutes; the patterns come from the repository, so they may be hostile, and the configuration accepts only
// those that globProblem passes.
import { Minimatch } from 'minimatch';

/** How many patterns a glob's braces may stand for: `{a,b}{c,d}` is four; real ones are a handful. */
export const MAX_GLOB_EXPANSIONS = 100;

// `noext`: `+(a|b)` and the like are plain characters, as in .gitignore (minimatch refuses deep nestings of them).
const OPTIONS = { dot: true, nonegate: true, nocomment: true, noext: true, optimizationLevel: 2, braceExpandMax: MAX_GLOB_EXPANSIONS + 1 } as const;
/** Compiled patterns; a configuration has a few, so the cache is dropped only if something fills it. */
const cache = new Map<string, Minimatch>();
const CACHE_SIZE = 4096;

function compiled(glob: string): Minimatch {
  let matcher = cache.get(glob);
  if (!matcher) {
    let pattern = glob.startsWith('./') ? glob.slice(2) : glob;
    let end = pattern.length;
    while (end > 0 && pattern[end - 1] === '/') end--;
    pattern = pattern.slice(0, end);
    if (pattern.startsWith('/')) pattern = pattern.slice(1);
    else if (!pattern.includes('/')) pattern = `**/${pattern}`;
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(glob, matcher = new Minimatch(pattern, OPTIONS));
  }
  return matcher;
}

/** Why a glob cannot be used, or undefined when it can. */
export function globProblem(glob: string): string | undefined {
  let matcher;
  try { matcher = compiled(glob); } catch (error) { return `"${glob.slice(0, 80)}" is not a glob pattern that can be matched: ${(error as Error).message}.`; }
  if (matcher.set.length > MAX_GLOB_EXPANSIONS) return `The braces of "${glob.slice(0, 80)}" stand for more than ${MAX_GLOB_EXPANSIONS} patterns.`;
  return undefined;
}

/** Does a relative path (`/`-separated, not starting with `..`) or a folder above it match one of the globs? */
export function matchesAnyGlob(relativePath: string, globs: readonly string[]): boolean {
  if (!globs.length) return false;
  const matchers = globs.map(compiled);
  for (let end = relativePath.indexOf('/'); ; end = relativePath.indexOf('/', end + 1)) {
    const path = end < 0 ? relativePath : relativePath.slice(0, end);
    if (matchers.some(matcher => matcher.match(path))) return true;
    if (end < 0) return false;
  }
}
