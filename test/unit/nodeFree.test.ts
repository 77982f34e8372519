// The engine, the sources and the template engine run in both language server hosts, the browser's included:
// none of their modules may import a Node built-in or use Node's globals. (The browser build also fails on such
// an import; this names the module at fault without a build, and covers globals, which no build catches.)
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const FOLDERS = ['server/src/engine', 'server/src/sources', 'server/src/gotemplate'];
const BUILTINS = new Set(builtinModules.flatMap(name => [name, `node:${name}`]));
/** Node's own globals; `crypto`, `TextEncoder`, `atob` and the like are the web's too. */
const NODE_GLOBALS = /\b(Buffer|process|__dirname|__filename|require|global|setImmediate)\b\s*[.(]/;

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? modules(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** A module's code with comments and the contents of strings blanked (lines kept), so messages may name anything. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g,
    match => (/^['"`]/.test(match) ? `${match[0]}${match.slice(1, -1).replace(/[^\n]/g, ' ')}${match[0]}` : match.replace(/[^\n]/g, ' ')));
}

/** What a module uses of Node: each import of a built-in, each use of a Node global (with its line). */
function nodeUses(file: string, text: string): string[] {
  const found: string[] = [];
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const match of withoutComments.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*'([^']+)'|\bimport\s*\(\s*'([^']+)'|\brequire\s*\(\s*'([^']+)'/g)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (BUILTINS.has(specifier)) found.push(`${file} imports ${specifier}`);
  }
  code(text).split('\n').forEach((line, i) => {
    const global = NODE_GLOBALS.exec(line);
    if (global) found.push(`${file}:${i + 1} uses ${global[1]}`);
  });
  return found;
}

describe('modules that both language server hosts run', () => {
  for (const folder of FOLDERS) {
    it(`${folder} imports no Node built-in and uses no Node global`, () => {
      assert.deepEqual(modules(folder).flatMap(file => nodeUses(file, readFileSync(file, 'utf8'))), []);
    });
  }

  it('would find imports of built-ins and uses of Node globals, and not words in comments or strings', () => {
    const text = "import { posix } from 'path';\nimport { createHash } from 'node:crypto';\nimport { parse } from 'yaml';\n"
      + "const a = Buffer.from('x'); // process.env\nconst m = `in-process.\nprocess.exit()`;\n/* require('fs') */\nif (process.platform) {}\n";
    assert.deepEqual(nodeUses('m.ts', text), ['m.ts imports path', 'm.ts imports node:crypto', 'm.ts:4 uses Buffer', 'm.ts:8 uses process']);
  });
});
