// The repository's own manifests, as seeds for mutation: the bundled examples, the editor test workspace, saved
// regressions and the YAML literals of the unit test tables.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const REGRESSIONS = join(ROOT, 'test', 'fixtures', 'regressions');

export interface Seed { name: string; bytes: Buffer }

function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, accept) : accept(name) ? [path] : [];
  });
}

const TABLE_LITERAL = /yaml`\n([^`$]*)`/g;

/** The literals of `yaml\`...\`` tags, indented as the tag would strip them. */
function tableLiterals(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(TABLE_LITERAL)].map(match => {
    const lines = match[1].replace(/\n[ \t]*$/, '\n').split('\n');
    const indent = Math.min(...lines.filter(line => line.trim()).map(line => /^ */.exec(line)![0].length));
    return lines.map(line => line.slice(indent)).join('\n');
  });
}

export function loadSeeds(): Seed[] {
  const yamlFile = (name: string) => /\.ya?ml$/.test(name);
  const files = [join(ROOT, 'examples'), join(ROOT, 'test', 'vscode', 'workspace'), join(ROOT, 'test', 'fixtures')]
    .flatMap(dir => filesUnder(dir, yamlFile));
  const seeds = files.map(file => ({ name: relative(ROOT, file), bytes: readFileSync(file) }));
  for (const file of filesUnder(join(ROOT, 'test', 'unit'), name => name.endsWith('.test.ts'))) {
    tableLiterals(file).forEach((text, i) => seeds.push({ name: `${relative(ROOT, file)}#${i + 1}`, bytes: Buffer.from(text) }));
  }
  return seeds;
}
