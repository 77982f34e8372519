// The rule registry. Adding a rule is one module in this folder and one line here.
import { Rule } from '../rule';
import { chmodImmutabilityHack } from './chmod-immutability-hack';
import { misplacedContainerField } from './misplaced-container-field';
import { readonlyRootFilesystem } from './readonly-root-filesystem';

export const RULES: readonly Rule[] = [
  readonlyRootFilesystem,
  misplacedContainerField,
  chmodImmutabilityHack,
];
