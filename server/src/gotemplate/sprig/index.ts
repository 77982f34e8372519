// Sprig (github.com/Masterminds/sprig v3.3.0), the function library Helm's templates use, for the template
// executor of this folder: every function of sprig.TxtFuncMap() that Helm keeps. Not here: `env` and `expandenv`,
// which Helm removes, and `getHostByName`, which Helm replaces (see Helm's functions). Key and certificate
// generation fails with a message saying it is not supported. Random and time functions draw from the Random and
// Clock they are given, so tests can fix them. Each function declares its Go parameters (signatures.ts).
import { GoFunction } from '../values';
import { cryptoFunctions } from './crypto';
import { dateFunctions } from './dates';
import { defaultFunctions } from './defaults';
import { dictFunctions } from './dicts';
import { encodingFunctions } from './encoding';
import { listFunctions } from './lists';
import { numericFunctions } from './numeric';
import { pathFunctions } from './paths';
import { Random, systemRandom } from './random';
import { regexFunctions } from './regex';
import { semverFunctions } from './semver';
import { declareSignatures, SPRIG_SIGNATURES } from './signatures';
import { stringFunctions } from './strings';
import { Clock, systemClock } from './time';

export interface SprigOptions {
  clock?: Clock;
  random?: Random;
}

export function sprigFunctions(options: SprigOptions = {}): Record<string, GoFunction> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  return declareSignatures({
    hello: () => 'Hello!',
    ...dateFunctions(clock),
    ...stringFunctions(random),
    ...numericFunctions(random),
    ...defaultFunctions(),
    ...pathFunctions(),
    ...encodingFunctions(),
    ...dictFunctions(),
    ...listFunctions(),
    ...cryptoFunctions(random),
    ...semverFunctions(),
    ...regexFunctions(),
  }, SPRIG_SIGNATURES);
}

export type { Clock } from './time';
export type { Random } from './random';
export { seededRandom } from './random';
