// Fails on any import cycle in the product's source (type-only imports count: they tie the modules together
// just the same). Imports go one way: hosts -> sources -> engine, and in the engine rules -> fixes -> facts
// (docs/architecture.md). dpdm finds the cycles.
//   node scripts/checks/import-cycles.mjs [folder...]   (default: server/src client/src)
import { parseCircular, parseDependencyTree } from 'dpdm';
import { relative } from 'node:path';

const NAME = 'import-cycles';
const folders = process.argv.slice(2);
const entries = (folders.length ? folders : ['server/src', 'client/src']).map(folder => `${folder}/**/*.ts`);
const tree = await parseDependencyTree(entries, { context: process.cwd(), transform: false, skipDynamicImports: false });
const cycles = parseCircular(tree);
const inCycle = new Set(cycles.flat());
const modules = Object.keys(tree).filter(file => tree[file] !== null && !file.startsWith('node:') && !file.includes('node_modules'));
for (const cycle of cycles) process.stdout.write(`import cycle: ${[...cycle, cycle[0]].map(file => relative(process.cwd(), file)).join(' -> ')}\n`);
const failed = modules.filter(file => inCycle.has(file)).length;
process.stdout.write(`${NAME}: ${modules.length - failed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
