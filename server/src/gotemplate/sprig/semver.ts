// Sprig's semver and semverCompare over Masterminds/semver v3's rules: versions may omit the minor and patch
// (`1.2` is 1.2.0) and start with `v`; constraints combine `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `^`, wildcards (`1.2.x`),
// hyphen ranges, `,`/space (and) and `||` (or); a prerelease version satisfies only constraints that name one
// (so charts write `>=1.19-0` to accept `v1.19.0-eks-1`).
import { defineGoType, GoFunction } from '../values';
import { stringArg } from './convert';

const VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const UINT64_MAX = 2n ** 64n - 1n;

interface SemverVersion {
  major: bigint;
  minor: bigint;
  patch: bigint;
  prerelease: string;
  metadata: string;
  original: string;
}

export function parseVersion(text: string): SemverVersion {
  const match = VERSION.exec(text);
  if (!match) throw new Error('Invalid Semantic Version');
  const segment = (part: string | undefined) => {
    const value = BigInt((part ?? '0').replace('.', '') || '0');
    if (value > UINT64_MAX) throw new Error(`Error parsing version segment: strconv.ParseUint: parsing "${part}": value out of range`);
    return value;
  };
  const prerelease = match[5] ?? '';
  for (const identifier of prerelease ? prerelease.split('.') : []) {
    if (/^[0-9]+$/.test(identifier) && identifier.length > 1 && identifier[0] === '0') throw new Error('Version segment starts with 0');
  }
  return { major: segment(match[1]), minor: segment(match[2]), patch: segment(match[3]), prerelease, metadata: match[8] ?? '', original: text };
}

function comparePrereleaseIdentifiers(a: string, b: string): number {
  if (a === b) return 0;
  const aNumeric = /^[0-9]+$/.test(a);
  const bNumeric = /^[0-9]+$/.test(b);
  if (aNumeric && bNumeric) return BigInt(a) < BigInt(b) ? -1 : 1;
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return a < b ? -1 : 1;
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (i >= x.length) return -1;
    if (i >= y.length) return 1;
    const c = comparePrereleaseIdentifiers(x[i], y[i]);
    if (c !== 0) return c;
  }
  return 0;
}

function compareVersions(a: SemverVersion, b: SemverVersion): number {
  for (const key of ['major', 'minor', 'patch'] as const) if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  return comparePrerelease(a.prerelease, b.prerelease);
}

function versionString(v: SemverVersion): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? '-' + v.prerelease : ''}${v.metadata ? '+' + v.metadata : ''}`;
}

// ---- Constraints ----

/** A constraint's operators (Masterminds' list), longer ones before those they start with. */
const OPERATORS = ['!=', '>=', '=>', '<=', '=<', '~>', '=', '>', '<', '~', '^'];

/** A version of a constraint as read: the text and its major, `.minor`, `.patch` and `-prerelease` parts. */
interface ConstraintVersionText {
  start: number;
  end: number;
  major: string;
  minor: string;
  patch: string;
  prerelease: string;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
const isVersionChar = (c: string | undefined): boolean => c !== undefined && '0123456789|xX*'.includes(c);
const isIdentifierChar = (c: string | undefined): boolean =>
  c !== undefined && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '-');

/** Where the run of characters that pass `test` from `pos` ends. */
function skip(text: string, pos: number, test: (c: string | undefined) => boolean): number {
  while (pos < text.length && test(text[pos])) pos++;
  return pos;
}

/** The operator at `pos`, or '' when there is none. */
function operatorAt(text: string, pos: number): string {
  return OPERATORS.find(op => text.startsWith(op, pos)) ?? '';
}

/**
 * Masterminds' constraint version at `start`, as long as it goes:
 * `v?([0-9|x|X|*]+)(\.[0-9|x|X|*]+)?(\.[0-9|x|X|*]+)?(-ident(\.ident)*)?(\+ident(\.ident)*)?`
 * where an identifier is `[0-9A-Za-z-]+`; undefined when there is no major part.
 */
function versionAt(text: string, start: number): ConstraintVersionText | undefined {
  let pos = text[start] === 'v' ? start + 1 : start;
  const majorEnd = skip(text, pos, isVersionChar);
  if (majorEnd === pos) return undefined;
  const major = text.slice(pos, majorEnd);
  pos = majorEnd;
  const dotted = (): string => {
    if (text[pos] !== '.') return '';
    const end = skip(text, pos + 1, isVersionChar);
    if (end === pos + 1) return '';
    const part = text.slice(pos, end);
    pos = end;
    return part;
  };
  const tagged = (mark: string): string => {
    if (text[pos] !== mark) return '';
    let end = skip(text, pos + 1, isIdentifierChar);
    if (end === pos + 1) return '';
    while (text[end] === '.') {
      const next = skip(text, end + 1, isIdentifierChar);
      if (next === end + 1) break;
      end = next;
    }
    const part = text.slice(pos, end);
    pos = end;
    return part;
  };
  const minor = dotted();
  const patch = dotted();
  const prerelease = tagged('-');
  tagged('+');
  return { start, end: pos, major, minor, patch, prerelease };
}

/** One constraint read at `pos`: spaces, an operator, spaces, a version; undefined when there is no version. */
function constraintAt(text: string, pos: number): { start: number; operator: string; version: ConstraintVersionText } | undefined {
  const start = skip(text, pos, isSpace);
  const operator = operatorAt(text, start);
  const version = versionAt(text, skip(text, start + operator.length, isSpace));
  return version && { start, operator, version };
}

/**
 * `text` with each `FROM - TO` range (a version, spaces, `-`, spaces, a version, and the spaces around) written
 * as `>= FROM, <= TO`, the ranges found left to right as Masterminds' pattern finds them.
 */
function rewriteHyphenRanges(text: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const from = versionAt(text, skip(text, i, isSpace));
    const dash = from && skip(text, from.end, isSpace);
    const toStart = dash !== undefined && dash > from!.end && text[dash] === '-' ? skip(text, dash + 1, isSpace) : undefined;
    const to = toStart !== undefined && toStart > dash! + 1 ? versionAt(text, toStart) : undefined;
    if (!from || !to) {
      i++;
      continue;
    }
    out += text.slice(last, i) + `>= ${text.slice(from.start, from.end)}, <= ${text.slice(to.start, to.end)}`;
    last = i = skip(text, to.end, isSpace);
  }
  return out + text.slice(last);
}

interface Constraint {
  operator: string;
  version: SemverVersion;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isWildcard = (part: string) => part === 'x' || part === 'X' || part === '*';

function parseConstraint(text: string): Constraint {
  const read = constraintAt(text, 0);
  if (!read || skip(text, read.version.end, isSpace) !== text.length) throw new Error(`improper constraint: ${text}`);
  const { operator, version: { start, end, major, minor: minorPart, patch: patchPart, prerelease: prereleasePart } } = read;
  const whole = text.slice(start, end);
  let version = whole;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isWildcard(major) || major === '') {
    version = '0.0.0' + prereleasePart;
    dirty = true;
  } else if (isWildcard(minorPart.slice(1)) || minorPart === '') {
    minorDirty = dirty = true;
    version = `${major}.0.0${prereleasePart}`;
  } else if (isWildcard(patchPart.slice(1)) || patchPart === '') {
    patchDirty = dirty = true;
    version = `${major}${minorPart}.0${prereleasePart}`;
  }
  return { operator, version: parseVersion(version), dirty, minorDirty, patchDirty };
}

function tilde(v: SemverVersion, c: Constraint): boolean {
  if (compareVersions(v, c.version) < 0) return false;
  if (c.version.major === 0n && c.version.minor === 0n && c.version.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.version.major) return false;
  return v.minor === c.version.minor || c.minorDirty;
}

/** Whether `v` satisfies one constraint (Masterminds/semver's constraint functions). */
function satisfies(v: SemverVersion, c: Constraint): boolean {
  const con = c.version;
  if (v.prerelease !== '' && con.prerelease === '' && !(c.operator === '!=' && !c.dirty)) return false;
  const cmp = compareVersions(v, con);
  switch (c.operator) {
    case '': case '=':
      return c.dirty ? tilde(v, c) : cmp === 0;
    case '!=':
      if (c.dirty) {
        if (con.major !== v.major) return true;
        if (c.minorDirty) return false;
        if (con.minor !== v.minor) return true;
        if (c.patchDirty) return (v.prerelease !== '' || con.prerelease !== '') && comparePrerelease(v.prerelease, con.prerelease) !== 0;
      }
      return cmp !== 0;
    case '>':
      if (!c.dirty) return cmp > 0;
      if (v.major !== con.major) return v.major > con.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=': case '=>':
      return cmp >= 0;
    case '<=': case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > con.major) return false;
      return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
    case '~': case '~>':
      return tilde(v, c);
    default: {
      if (cmp < 0) return false;
      if (con.major > 0n || c.minorDirty) return v.major === con.major;
      if (v.major > 0n) return false;
      if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
      if (v.minor > 0n) return false;
      return con.patch === v.patch;
    }
  }
}

/** semver.NewConstraint: OR groups of AND constraints; throws `improper constraint: ...`. */
export function parseConstraints(text: string): Constraint[][] {
  const rewritten = rewriteHyphenRanges(text);
  return rewritten.split('||').map(group => {
    // Masterminds checks a group with ^(\s*op\s*version\s*,?)+$; read one constraint at a time instead, which
    // accepts the same groups without the exponential backtracking that pattern has in JavaScript.
    const found: string[] = [];
    let pos = 0;
    while (pos < group.length) {
      const read = constraintAt(group, pos);
      if (!read) throw new Error(`improper constraint: ${group}`);
      found.push(group.slice(read.start, read.version.end));
      pos = skip(group, read.version.end, isSpace);
      if (group[pos] === ',') pos++;
    }
    if (found.length === 0) throw new Error(`improper constraint: ${group}`);
    return found.map(parseConstraint);
  });
}

export function checkConstraints(constraints: Constraint[][], v: SemverVersion): boolean {
  return constraints.some(group => group.every(c => satisfies(v, c)));
}

const VERSION_DATA = Symbol('semver');

/** A *semver.Version as templates see it: methods Major, Minor, Patch, Prerelease, Metadata, Original, Compare... */
function versionObject(v: SemverVersion): object {
  const other = (o: unknown): SemverVersion => {
    const version = (o as { [VERSION_DATA]?: SemverVersion } | null)?.[VERSION_DATA];
    if (!version) throw new Error('wrong type for value; expected *semver.Version');
    return version;
  };
  const object = {
    [VERSION_DATA]: v,
    Major: () => v.major,
    Minor: () => v.minor,
    Patch: () => v.patch,
    Prerelease: () => v.prerelease,
    Metadata: () => v.metadata,
    Original: () => v.original,
    String: () => versionString(v),
    Compare: (o: unknown) => BigInt(compareVersions(v, other(o))),
    Equal: (o: unknown) => compareVersions(v, other(o)) === 0,
    LessThan: (o: unknown) => compareVersions(v, other(o)) < 0,
    GreaterThan: (o: unknown) => compareVersions(v, other(o)) > 0,
    IncMajor: () => versionObject({ ...v, major: v.major + 1n, minor: 0n, patch: 0n, prerelease: '', metadata: '', original: '' }),
    IncMinor: () => versionObject({ ...v, minor: v.minor + 1n, patch: 0n, prerelease: '', metadata: '', original: '' }),
    IncPatch: () => versionObject({ ...v, patch: v.prerelease ? v.patch : v.patch + 1n, prerelease: '', metadata: '', original: '' }),
  };
  return defineGoType(object, '*semver.Version', 'struct');
}


export function semverFunctions(): Record<string, GoFunction> {
  return {
    semver: (text) => versionObject(parseVersion(stringArg(text))),
    semverCompare: (constraint, version) => checkConstraints(parseConstraints(stringArg(constraint)), parseVersion(stringArg(version))),
  };
}
