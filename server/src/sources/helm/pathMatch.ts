// Go's `path/filepath.Match` for `/`-separated paths, which Helm uses for `.helmignore` rules and `--show-only`:
// `*` is any run of characters other than `/`, `?` one such character, `[...]` a class (`^` negates, `a-z` ranges,
// `\` escapes). The match backtracks only to the last `*`, so it is linear in the name for each star.

/** Whether `name` matches `pattern` as a whole; a malformed pattern throws (as Go returns ErrBadPattern). */
export function pathMatch(pattern: string, name: string): boolean {
  let p = 0, n = 0;
  let starP = -1, starN = -1;
  while (n < name.length) {
    if (p < pattern.length) {
      const c = pattern[p];
      if (c === '*') { starP = ++p; starN = n; continue; }
      if (c === '?' && name[n] !== '/') { p++; n++; continue; }
      if (c === '[') {
        const cls = matchClass(pattern, p, name[n]);
        if (cls.matched) { p = cls.next; n++; continue; }
      } else if (c === '\\') {
        if (p + 1 >= pattern.length) throw new Error('syntax error in pattern');
        if (pattern[p + 1] === name[n]) { p += 2; n++; continue; }
      } else if (c !== '?' && c === name[n]) { p++; n++; continue; }
    }
    // Mismatch: let the last star take one more character, unless that character is a separator.
    if (starP >= 0 && name[starN] !== '/') { p = starP; n = ++starN; continue; }
    checkPattern(pattern, p);
    return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  if (p < pattern.length) { checkPattern(pattern, p); return false; }
  return true;
}

/** Throws when the rest of the pattern is malformed, as Go does even when the name has already failed. */
function checkPattern(pattern: string, from: number): void {
  for (let p = from; p < pattern.length; p++) {
    if (pattern[p] === '\\') { if (++p >= pattern.length) throw new Error('syntax error in pattern'); }
    else if (pattern[p] === '[') p = matchClass(pattern, p, '').next - 1;
  }
}

function matchClass(pattern: string, open: number, ch: string): { matched: boolean; next: number } {
  let p = open + 1;
  const negated = pattern[p] === '^';
  if (negated) p++;
  let matched = false;
  for (let ranges = 0; ; ranges++) {
    if (pattern[p] === ']' && ranges > 0) return { matched: matched !== negated, next: p + 1 };
    const [lo, afterLo] = classChar(pattern, p);
    let hi = lo;
    p = afterLo;
    if (pattern[p] === '-') [hi, p] = classChar(pattern, p + 1);
    if (ch !== '' && lo <= ch && ch <= hi) matched = true;
  }
}

/** One character of a class, maybe escaped; like Go, a class may not end the pattern. */
function classChar(pattern: string, p: number): [string, number] {
  if (p >= pattern.length || pattern[p] === '-' || pattern[p] === ']') throw new Error('syntax error in pattern');
  if (pattern[p] === '\\' && ++p >= pattern.length) throw new Error('syntax error in pattern');
  if (p + 1 >= pattern.length) throw new Error('syntax error in pattern');
  return [pattern[p], p + 1];
}
