// The rule registry. Adding a rule is one module in this folder and one line here.
import { Rule } from '../rule';
import { chmodImmutabilityHack } from './chmod-immutability-hack';
import { misplacedContainerField } from './misplaced-container-field';
import { readonlyRootFilesystem } from './readonly-root-filesystem';
import { writablePathsUnmounted } from './writable-paths-unmounted';
import { runAsRoot } from './run-as-root';
import { privilegeEscalation } from './privilege-escalation';
import { privilegedContainer } from './privileged-container';
import { capabilities } from './capabilities';
import { mutableImageReference } from './mutable-image-reference';
import { writableHostPath } from './writable-host-path';
import { execIntoPods } from './exec-into-pods';
import { invalidPodSpec } from './invalid-pod-spec';
import { podSecurityAdmission } from './pod-security-admission';

export const RULES: readonly Rule[] = [
  readonlyRootFilesystem,
  misplacedContainerField,
  chmodImmutabilityHack,
  writablePathsUnmounted,
  runAsRoot,
  privilegeEscalation,
  privilegedContainer,
  capabilities,
  mutableImageReference,
  writableHostPath,
  execIntoPods,
  invalidPodSpec,
  podSecurityAdmission,
];
