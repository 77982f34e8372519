// `.helmignore`: which files of a chart directory are left out when it is loaded (pkg/ignore): one pattern a
// line, `#` comments, `!` negating, a trailing `/` for directories only, a leading `/` or an inner `/` matching
// the whole relative path, else the base name; `**` is refused. `templates/.?*` is always ignored.
import { pathMatch } from './pathMatch';

interface Rule {
  pattern: string;
  negate: boolean;
  directoryOnly: boolean;
  wholePath: boolean;
}

export class IgnoreRules {
  private constructor(private readonly rules: Rule[]) {}

  /** Parses a `.helmignore`; throws on a malformed pattern, as Helm does. The defaults come last. */
  static parse(text: string): IgnoreRules {
    const rules: Rule[] = [];
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      if (line.includes('**')) throw new Error('double-star (**) syntax is not supported');
      pathMatch(line, 'abc');
      let pattern = line;
      const negate = pattern.startsWith('!');
      if (negate) pattern = pattern.slice(1);
      const directoryOnly = pattern.endsWith('/');
      if (directoryOnly) pattern = pattern.slice(0, -1);
      const wholePath = pattern.includes('/');
      if (pattern.startsWith('/')) pattern = pattern.slice(1);
      rules.push({ pattern, negate, directoryOnly, wholePath });
    }
    rules.push({ pattern: 'templates/.?*', negate: false, directoryOnly: false, wholePath: true });
    return new IgnoreRules(rules);
  }

  static defaults(): IgnoreRules {
    return IgnoreRules.parse('');
  }

  /** Whether `path` (relative to the chart, `/` separators) is left out. */
  ignores(path: string, isDirectory: boolean): boolean {
    if (path === '' || path === '.' || path === './') return false;
    for (const rule of this.rules) {
      const subject = rule.wholePath ? path : path.slice(path.lastIndexOf('/') + 1);
      let matched: boolean;
      try { matched = pathMatch(rule.pattern, subject); } catch { return false; }
      if (rule.negate) {
        if (rule.directoryOnly && !isDirectory) return true;
        if (!matched) return true;
        continue;
      }
      if (rule.directoryOnly && !isDirectory) continue;
      if (matched) return true;
    }
    return false;
  }
}
