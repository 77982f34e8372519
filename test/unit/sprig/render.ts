// Runs a template with Sprig's or Helm's functions, as the function tests need: a fixed clock (UTC, 2019-06-13
// 20:39:39) and a seeded random source, so every output is exact.
import { GoFunction, FunctionFactory, Templates } from '../../../server/src/gotemplate';
import { seededRandom, sprigFunctions } from '../../../server/src/gotemplate/sprig';
import { Clock } from '../../../server/src/gotemplate/sprig/time';
import { helmFunctions } from '../../../server/src/sources/helm/functions';

export const fixedClock: Clock = { now: () => new Date(Date.UTC(2019, 5, 13, 20, 39, 39)), localZone: 'UTC' };

export function sprig(): Record<string, GoFunction> {
  return sprigFunctions({ clock: fixedClock, random: seededRandom(42) });
}

export function helm(lintMode = false): ReadonlyArray<Record<string, GoFunction> | FunctionFactory> {
  return helmFunctions({ clock: fixedClock, random: seededRandom(42), lintMode }).functions;
}

/** The output of `template` run on `data`; `defines` are more templates of the same set. */
export function render(
  template: string,
  data: unknown = {},
  functions: ReadonlyArray<Record<string, GoFunction> | FunctionFactory> = [sprig()],
  defines: Record<string, string> = {},
): string {
  const templates = new Templates({ functions });
  for (const [name, text] of Object.entries(defines)) templates.parse(name, text);
  templates.parse('test', template);
  return templates.execute('test', data, { sourceMap: false }).text;
}

/** Each [template, expected output] pair, as a table test. */
export function table(cases: ReadonlyArray<readonly [string, string]>, data: unknown = {}, functions?: ReadonlyArray<Record<string, GoFunction> | FunctionFactory>): void {
  for (const [template, expected] of cases) {
    it(`${template} -> ${JSON.stringify(expected)}`, () => {
      const actual = render(template, data, functions);
      if (actual !== expected) throw new Error(`${template}\n  got:  ${JSON.stringify(actual)}\n  want: ${JSON.stringify(expected)}`);
    });
  }
}
