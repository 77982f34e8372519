// Enough of semantic versions and constraints for what charts write in `dependencies[].version` and
// `kubeVersion`: `1.2.3`, `^1.2`, `~1.2.3`, `>=1.2 <2`, `1.x`, `*`, alternatives joined by `||`.

export interface Version { major: number; minor: number; patch: number; pre: string }

export function parseVersion(text: string): Version | undefined {
  const match = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2] ?? 0), patch: Number(match[3] ?? 0), pre: match[4] ?? '' };
}

function compare(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || (a.pre === b.pre ? 0 : !a.pre ? 1 : !b.pre ? -1 : a.pre < b.pre ? -1 : 1);
}

/** Whether `version` meets `constraint`; an empty or unreadable constraint is met (Helm then keeps the chart). */
export function versionSatisfies(constraint: string | undefined, version: string | undefined): boolean {
  if (!constraint || !constraint.trim()) return true;
  const parsed = version === undefined ? undefined : parseVersion(version);
  if (!parsed) return true;
  return constraint.split('||').some(alternative => alternative.trim().split(/[\s,]+/).filter(Boolean).every(part => meets(part, parsed)));
}

/** A constraint's operator, longest first where one starts another. */
const OPERATORS = ['^', '~', '>=', '<=', '>', '<', '=', '!='];

/** `part` is `[operator] [spaces] [v]version`; a version with a line break in it is no constraint (met). */
function meets(part: string, version: Version): boolean {
  const op = OPERATORS.find(o => part.startsWith(o)) ?? '';
  let start = op.length;
  while (start < part.length && /\s/.test(part[start])) start++;
  if (part[start] === 'v') start++;
  const rest = part.slice(start);
  if (/[\n\r\u2028\u2029]/.test(rest)) return true;
  if (rest === '*' || rest === 'x' || rest === 'X' || rest === '') return true;
  const pieces = rest.split('.');
  const wildcard = pieces.findIndex(p => p === 'x' || p === 'X' || p === '*');
  const bound = parseVersion(pieces.map(p => (p === 'x' || p === 'X' || p === '*' ? '0' : p)).join('.'));
  if (!bound) return true;
  const c = compare(version, bound);
  const given = wildcard >= 0 ? wildcard : pieces.length;
  const upper = (level: number): Version => (level <= 1 ? { major: bound.major + 1, minor: 0, patch: 0, pre: '' } : { major: bound.major, minor: bound.minor + 1, patch: 0, pre: '' });
  switch (op) {
    case '^': return c >= 0 && compare(version, bound.major > 0 || given <= 1 ? upper(1) : upper(2)) < 0;
    case '~': return c >= 0 && compare(version, upper(given <= 1 ? 1 : 2)) < 0;
    case '>=': return c >= 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '<': return c < 0;
    case '!=': return c !== 0;
    default: return wildcard >= 0 || given < 3 ? c >= 0 && compare(version, upper(given)) < 0 : c === 0;
  }
}
