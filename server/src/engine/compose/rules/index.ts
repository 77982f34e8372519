// The Compose checks of the rules, in the order of the rule registry. Adding one is a module here and one line.
import { ServiceRule } from '../serviceRule';
import { readonlyRootFilesystemService } from './readonly-root-filesystem';
import { chmodImmutabilityHackService } from './chmod-immutability-hack';
import { writablePathsUnmountedService } from './writable-paths-unmounted';
import { runAsRootService } from './run-as-root';
import { privilegeEscalationService } from './privilege-escalation';
import { privilegedContainerService } from './privileged-container';
import { capabilitiesService } from './capabilities';
import { mutableImageReferenceService } from './mutable-image-reference';
import { writableHostPathService } from './writable-host-path';

export const SERVICE_RULES: readonly ServiceRule[] = [
  readonlyRootFilesystemService,
  chmodImmutabilityHackService,
  writablePathsUnmountedService,
  runAsRootService,
  privilegeEscalationService,
  privilegedContainerService,
  capabilitiesService,
  mutableImageReferenceService,
  writableHostPathService,
];
