// Runs the function cases of ../shared/fixtures/helm (see its README): every case of sprig/cases.json with Sprig's
// function map, and every `func` case of engine/cases.json with Helm's, each a template executed on its vars and
// compared with the expected output byte for byte (or expected to fail). Prints each failure and one
// `sprig-conformance: N passed, N failed` line per file. Exits 1 when a file passes less than its target.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GoFunction, FunctionFactory, Templates } from '../../server/src/gotemplate';
import { sprigFunctions } from '../../server/src/gotemplate/sprig';
import { Clock } from '../../server/src/gotemplate/sprig/time';
import { helmFunctions } from '../../server/src/sources/helm/functions';

interface FunctionCase {
  source: string;
  test?: string;
  name?: string;
  kind?: string;
  template: string;
  vars: unknown;
  expected: string | null;
  expectError: boolean;
  errorContains?: string;
}

const FIXTURES = resolve(process.cwd(), '../shared/fixtures/helm');
const verbose = process.argv.includes('--verbose');

/** JSON as the fixtures write it: an integer is a Go int (bigint), a number with a point or exponent a float64. */
function parseGoJson(text: string): unknown {
  let pos = 0;
  const space = () => { while (/\s/.test(text[pos] ?? '')) pos++; };
  const value = (): unknown => {
    space();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const out: Record<string, unknown> = {};
      space();
      if (text[pos] === '}') { pos++; return out; }
      for (;;) {
        space();
        const key = value() as string;
        space();
        pos++; // ':'
        out[key] = value();
        space();
        if (text[pos++] === '}') return out;
      }
    }
    if (c === '[') {
      pos++;
      const out: unknown[] = [];
      space();
      if (text[pos] === ']') { pos++; return out; }
      for (;;) {
        out.push(value());
        space();
        if (text[pos++] === ']') return out;
      }
    }
    if (c === '"') {
      const start = pos++;
      while (text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
      pos++;
      return JSON.parse(text.slice(start, pos));
    }
    const literal = /^(true|false|null|-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)/.exec(text.slice(pos))![0];
    pos += literal.length;
    if (literal === 'true') return true;
    if (literal === 'false') return false;
    if (literal === 'null') return null;
    return /[.eE]/.test(literal) ? Number(literal) : BigInt(literal);
  };
  return value();
}

/** A fixed clock (UTC) so that date cases do not depend on the machine. */
const clock: Clock = { now: () => new Date(Date.UTC(2019, 5, 13, 20, 39, 39)), localZone: 'UTC' };

function run(c: FunctionCase, functions: ReadonlyArray<Record<string, GoFunction> | FunctionFactory>): string | undefined {
  let output: string | undefined;
  let error: string | undefined;
  try {
    const templates = new Templates({ functions });
    templates.parse('test', c.template);
    output = templates.execute('test', c.vars, { sourceMap: false }).text;
  } catch (e) {
    error = (e as Error).message;
  }
  if (c.expectError) {
    if (error === undefined) return `expected an error, got ${JSON.stringify(output)}`;
    if (c.errorContains && !error.includes(c.errorContains)) return `error ${JSON.stringify(error)} does not contain ${JSON.stringify(c.errorContains)}`;
    return undefined;
  }
  if (error !== undefined) return `unexpected error: ${error}`;
  if (output !== c.expected) return `got ${JSON.stringify(output)}, want ${JSON.stringify(c.expected)}`;
  return undefined;
}

function runFile(label: string, cases: FunctionCase[], functions: ReadonlyArray<Record<string, GoFunction> | FunctionFactory>, target: number): boolean {
  let passed = 0;
  const failures: string[] = [];
  for (const c of cases) {
    const failure = run(c, functions);
    if (failure === undefined) passed++;
    else failures.push(`  FAIL ${c.source} ${c.test ?? c.name}: ${JSON.stringify(c.template)}\n       ${failure}`);
  }
  if (failures.length > 0) console.log(`${label} failures:\n${failures.join('\n')}`);
  const percent = cases.length === 0 ? 100 : (100 * passed) / cases.length;
  console.log(`sprig-conformance: ${passed} passed, ${cases.length - passed} failed (${label}, ${percent.toFixed(1)}%, target ${target}%)`);
  if (verbose) console.log();
  return percent >= target;
}

if (!existsSync(join(FIXTURES, 'sprig/cases.json'))) {
  console.log(`sprig-conformance: skipped, ${FIXTURES} is not there (the shared Helm fixtures are needed)`);
  process.exit(0);
}

const sprigCases = parseGoJson(readFileSync(join(FIXTURES, 'sprig/cases.json'), 'utf8')) as FunctionCase[];
const engineCases = (parseGoJson(readFileSync(join(FIXTURES, 'engine/cases.json'), 'utf8')) as FunctionCase[]).filter(c => c.kind === 'func');
const sprigOk = runFile('sprig/cases.json', sprigCases, [sprigFunctions({ clock })], 97);
const helmOk = runFile('engine/cases.json kind func', engineCases, helmFunctions({ clock }).functions, 97);
process.exit(sprigOk && helmOk ? 0 : 1);
