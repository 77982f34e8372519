// The YAML fixtures the tests write inline: every yaml`...` literal that interpolates nothing, dedented as the
// tests see it. The round trip runs every fix on them, and the style matrix rewrites them in other layouts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { yaml } from '../../helpers';

const YAML_LITERAL = /\byaml`([^`$]*)`/g;

/** The test files under `dir`, at any depth. */
export function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? testSources(path) : entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The literals of one test file. */
export function yamlLiterals(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(YAML_LITERAL)].map(match => yaml(Object.assign([match[1]], { raw: [match[1]] })));
}
