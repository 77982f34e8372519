// The levels and versions of the Pod Security Standards, as the pod-security-admission library reads them from
// a namespace's labels (https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces).
export type Level = 'privileged' | 'baseline' | 'restricted';
export const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** A policy version: the minor version of Kubernetes 1.x, or Infinity for `latest`. */
export type Version = number;
export const LATEST: Version = Infinity;

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** Does `level` include the controls of `other`? Restricted holds every baseline control. */
export function covers(level: Level, other: Level): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(other);
}

/** `latest` or `v1.<minor>`; undefined for anything else. */
export function parseVersion(value: unknown): Version | undefined {
  if (value === 'latest') return LATEST;
  const match = typeof value === 'string' ? /^v1\.(0|[1-9][0-9]{0,3})$/.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}

export function formatVersion(version: Version): string {
  return version === LATEST ? 'latest' : `v1.${version}`;
}

/** The three modes a namespace can set a level for: enforce rejects the pod, warn and audit only report it. */
export type Mode = 'enforce' | 'warn' | 'audit';
export const MODES: readonly Mode[] = ['enforce', 'warn', 'audit'];
