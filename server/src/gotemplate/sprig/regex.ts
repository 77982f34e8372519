// Sprig's regular expression functions (regex.go) over Go's RE2 syntax translated to JavaScript's: named groups
// `(?P<name>...)`, leading flags `(?i)`/`(?s)`/`(?m)`, `\A`/`\z`, POSIX classes like `[[:alpha:]]`. Matching all
// occurrences and splitting follow Go's rule that an empty match right after a match does not count, and
// replacement templates expand `$1`, `${1}`, `$name` as Go's Regexp.Expand does.
import { GoFunction } from '../values';
import { intArg, stringArg } from './convert';

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/**
 * Whether a repeated group itself holds a repetition (`(a+)+`, `(x*y)*`): RE2 matches those in linear time, a
 * backtracking engine like JavaScript's in exponential time, so they are refused rather than left to hang.
 */
function hasNestedRepetition(pattern: string): boolean {
  const groups: boolean[] = [];
  const unbounded = (at: number) => pattern[at] === '*' || pattern[at] === '+' || /^\{\d*,\}/.test(pattern.slice(at));
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') groups.push(false);
    else if (c === ')') {
      const inner = groups.pop() ?? false;
      if (inner && unbounded(i + 1)) return true;
      if (groups.length > 0) groups[groups.length - 1] ||= inner || unbounded(i + 1);
    } else if (unbounded(i) && groups.length > 0) groups[groups.length - 1] = true;
  }
  return false;
}

/** Compiles a Go regular expression; throws Go's `error parsing regexp: ...` when it cannot. */
function compileGoRegexp(source: string): RegExp {
  const cached = cache.get(source);
  if (cached) {
    cached.lastIndex = 0;
    return cached;
  }
  let pattern = source;
  let flags = 'g';
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  if (leading) {
    if (leading[1].includes('U')) throw new Error('error parsing regexp: the ungreedy flag (?U) is not supported');
    for (const flag of new Set(leading[1])) flags += flag;
    pattern = pattern.slice(leading[0].length);
  }
  if (/\(\?[imsU-]+[:)]/.test(pattern)) throw new Error('error parsing regexp: flags inside the expression are not supported');
  pattern = pattern
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, negated: string, name: string) => {
      const range = posixClasses[name];
      if (!range) throw new Error(`error parsing regexp: invalid character class range: \`${whole}\``);
      if (negated) throw new Error('error parsing regexp: negated POSIX classes are not supported');
      return range;
    });
  if (hasNestedRepetition(pattern)) throw new Error(`error parsing regexp: nested repetition in \`${source}\` is not supported (it could take exponential time)`);
  if (/\\[pP]/.test(pattern)) flags += 'u';
  let compiled: RegExp;
  try {
    // regex-check: a pattern the user wrote, run as written
    compiled = new RegExp(pattern, flags);
  } catch (error) {
    throw new Error(`error parsing regexp: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

interface Match {
  start: number;
  end: number;
  groups: RegExpExecArray;
}

/** Go's FindAll...Index: at most `n` matches (all when n < 0), an empty match next to the previous one skipped. */
function findAll(re: RegExp, text: string, n: number): Match[] {
  const out: Match[] = [];
  let pos = 0;
  let previousEnd = -1;
  while (pos <= text.length && (n < 0 || out.length < n)) {
    re.lastIndex = pos;
    const match = re.exec(text);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    let accept = true;
    if (end === start) {
      if (start === previousEnd) accept = false;
      pos = start + (text.codePointAt(start)! > 0xffff ? 2 : 1);
    } else pos = end;
    previousEnd = end;
    if (accept) out.push({ start, end, groups: match });
  }
  return out;
}

/** Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; an unknown group is empty. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, _all, braced?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare!;
    if (/^[0-9]+$/.test(name)) return match[Number(name)] ?? '';
    return match.groups?.[name] ?? '';
  });
}

function replaceAll(re: RegExp, text: string, replace: (match: Match) => string): string {
  let out = '';
  let last = 0;
  for (const match of findAll(re, text, -1)) {
    out += text.slice(last, match.start) + replace(match);
    last = match.end;
  }
  return out + text.slice(last);
}

function split(re: RegExp, text: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source !== '(?:)' && text === '') return [''];
  const out: string[] = [];
  let begin = 0;
  let end = 0;
  for (const match of findAll(re, text, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = match.start;
    if (match.end !== 0) out.push(text.slice(begin, end));
    begin = match.end;
  }
  if (end !== text.length) out.push(text.slice(begin));
  return out;
}

export function regexFunctions(): Record<string, GoFunction> {
  const match = (regex: unknown, text: unknown) => {
    const re = compileGoRegexp(stringArg(regex));
    re.lastIndex = 0;
    return re.test(stringArg(text));
  };
  const findAllOf = (regex: unknown, text: unknown, n: unknown) => findAll(compileGoRegexp(stringArg(regex)), stringArg(text), intArg(n)).map(m => m.groups[0]);
  const find = (regex: unknown, text: unknown) => findAll(compileGoRegexp(stringArg(regex)), stringArg(text), 1)[0]?.groups[0] ?? '';
  const replaceAllOf = (regex: unknown, text: unknown, replacement: unknown) => {
    const template = stringArg(replacement);
    return replaceAll(compileGoRegexp(stringArg(regex)), stringArg(text), m => expand(template, m.groups));
  };
  const replaceAllLiteral = (regex: unknown, text: unknown, replacement: unknown) => {
    const literal = stringArg(replacement);
    return replaceAll(compileGoRegexp(stringArg(regex)), stringArg(text), () => literal);
  };
  const splitOf = (regex: unknown, text: unknown, n: unknown) => split(compileGoRegexp(stringArg(regex)), stringArg(text), intArg(n));
  return {
    regexMatch: (regex, text) => {
      try {
        return match(regex, text);
      } catch {
        return false;
      }
    },
    mustRegexMatch: match,
    regexFindAll: findAllOf, mustRegexFindAll: findAllOf,
    regexFind: find, mustRegexFind: find,
    regexReplaceAll: replaceAllOf, mustRegexReplaceAll: replaceAllOf,
    regexReplaceAllLiteral: replaceAllLiteral, mustRegexReplaceAllLiteral: replaceAllLiteral,
    regexSplit: splitOf, mustRegexSplit: splitOf,
    regexQuoteMeta: (text) => stringArg(text).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
  };
}
