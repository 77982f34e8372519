// Glob patterns for `exclude`, matched against `/`-separated paths relative to the folder that holds the
// configuration. `**` spans directories, `*` and `?` stay within one name, `{a,b}` and `[abc]` as in a shell.
// As in .gitignore, a pattern without a `/` matches a name at any depth, and a pattern that matches a
// directory excludes everything below it.

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let pattern = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  else if (!pattern.includes('/')) pattern = `**/${pattern}`;
  let body = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (pattern.startsWith('**/', i)) { body += '(?:.*/)?'; i += 2; }
    else if (pattern.startsWith('**', i)) { body += '.*'; i += 1; }
    else if (char === '*') body += '[^/]*';
    else if (char === '?') body += '[^/]';
    else if (char === '{') { body += '(?:'; braces++; }
    else if (char === '}' && braces) { body += ')'; braces--; }
    else if (char === ',' && braces) body += '|';
    else if (char === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) { body += '\\['; continue; }
      body += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = close;
    } else body += char.replace(/[.+^$()|\\]/g, '\\$&');
  }
  const regexp = new RegExp(`^${body}(?:/.*)?$`);
  cache.set(glob, regexp);
  return regexp;
}

/** Does a relative path (`/`-separated, not starting with `..`) match one of the globs? */
export function matchesAnyGlob(relativePath: string, globs: readonly string[]): boolean {
  return globs.some(glob => globToRegExp(glob).test(relativePath));
}
