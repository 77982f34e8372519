// Chart version constraints (`dependencies[].version`, `kubeVersion`) read with the same Masterminds/semver v3
// rules that Sprig's `semverCompare` uses, as Helm does for both.
import { checkConstraints, parseConstraints, parseVersion } from '../../gotemplate/sprig/semver';

/** Whether `version` meets `constraint`; an empty or unreadable constraint or version is met (Helm then keeps the chart). */
export function versionSatisfies(constraint: string | undefined, version: string | undefined): boolean {
  if (!constraint || !constraint.trim() || version === undefined) return true;
  try {
    return checkConstraints(parseConstraints(constraint), parseVersion(version.trim()));
  } catch {
    return true;
  }
}
