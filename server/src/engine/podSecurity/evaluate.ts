// Evaluates a pod spec against a level and version of the Pod Security Standards, as pod-security-admission
// does: every control up to the level, each at the newest of its versions not newer than the one asked for,
// a control of the level replacing the lower-level control it overrides.
import { PodSpec } from '../workloads';
import { Control, CONTROLS, ControlVersion, Violation } from './controls';
import { covers, Level, Version } from './levels';

export interface FailedControl extends Violation { control: Control }

function versionOf(control: Control, version: Version): ControlVersion | undefined {
  let found: ControlVersion | undefined;
  for (const entry of control.versions) if (entry.since <= version) found = entry;
  return found;
}

/** The controls in force for a level and version, with the overridden ones left out. */
export function controlsFor(level: Level, version: Version): { control: Control; version: ControlVersion }[] {
  const applicable = CONTROLS.filter(control => level !== 'privileged' && covers(level, control.level))
    .flatMap(control => {
      const entry = versionOf(control, version);
      return entry ? [{ control, version: entry }] : [];
    });
  const overridden = new Set(applicable.flatMap(({ version: entry }) => entry.overrides ?? []));
  return applicable.filter(({ control }) => !overridden.has(control.id));
}

/** The controls the pod fails, in the order of the catalogue; empty when the level admits it. */
export function evaluatePod(pod: PodSpec, level: Level, version: Version): FailedControl[] {
  return controlsFor(level, version).flatMap(({ control, version: entry }) => {
    const violation = entry.check(pod);
    return violation ? [{ control, ...violation }] : [];
  });
}
