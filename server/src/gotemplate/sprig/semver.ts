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

const CONSTRAINT_VERSION = 'v?([0-9|x|X|*]+)(\\.[0-9|x|X|*]+)?(\\.[0-9|x|X|*]+)?(-([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?(\\+([0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*))?';
const OPERATORS = '!=|>=|=>|<=|=<|~>|=|>|<|~|\\^|';
const constraintPattern = new RegExp(`^\\s*(${OPERATORS})\\s*(${CONSTRAINT_VERSION})\\s*$`);
/** One constraint of an AND group and what separates it from the next, matched where the previous one ended. */
const nextConstraint = new RegExp(`\\s*((?:${OPERATORS})\\s*${CONSTRAINT_VERSION})\\s*,?`, 'y');
const hyphenRange = new RegExp(`\\s*(${CONSTRAINT_VERSION})\\s+-\\s+(${CONSTRAINT_VERSION})\\s*`, 'g');

interface Constraint {
  operator: string;
  version: SemverVersion;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isWildcard = (part: string) => part === 'x' || part === 'X' || part === '*';

function parseConstraint(text: string): Constraint {
  const match = constraintPattern.exec(text);
  if (!match) throw new Error(`improper constraint: ${text}`);
  const [, operator, whole, major, minorPart = '', patchPart = '', prereleasePart = ''] = match;
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
  const rewritten = text.replace(hyphenRange, (_whole, from: string, ...rest: string[]) => `>= ${from}, <= ${rest[9]}`);
  return rewritten.split('||').map(group => {
    // Masterminds checks a group with ^(\s*op\s*version\s*,?)+$; read one constraint at a time instead, which
    // accepts the same groups without the exponential backtracking that pattern has in JavaScript.
    const found: string[] = [];
    nextConstraint.lastIndex = 0;
    while (nextConstraint.lastIndex < group.length) {
      const start = nextConstraint.lastIndex;
      const match = nextConstraint.exec(group);
      if (!match || nextConstraint.lastIndex === start) throw new Error(`improper constraint: ${group}`);
      found.push(match[1]);
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
