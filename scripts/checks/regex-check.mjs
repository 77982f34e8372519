// Fails when a regular expression literal in the product's source can take more than linear time: recheck
// (https://makenowjust-labs.github.io/recheck/) decides, for each literal, whether some input makes a
// backtracking engine such as V8's take polynomial or exponential time. A `RegExp(...)` built from anything but
// string literals cannot be checked, so it fails too: every pattern the product runs is then checked here.
//   node scripts/checks/regex-check.mjs [file or folder...]   (default: server/src)
import { checkSync } from 'recheck';
import ts from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const NAME = 'regex-check';

function sourceFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap(name => sourceFiles(join(path, name))).filter(file => /\.[cm]?[jt]s$/.test(file));
}

const isStringLiteral = node => node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));

/** Every regular expression of a file, literal or `RegExp(...)`, with its line; `pattern` is undefined when it is built at run time. */
function literals(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (node, pattern, flags) => found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text: node.getText(source), pattern, flags });
  const visit = node => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(source);
      const close = text.lastIndexOf('/');
      add(node, text.slice(1, close), text.slice(close + 1));
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      const [pattern, flags] = node.arguments ?? [];
      const known = isStringLiteral(pattern) && (!flags || isStringLiteral(flags));
      add(node, known ? pattern.text : undefined, known ? flags?.text ?? '' : undefined);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const roots = process.argv.slice(2);
const files = (roots.length ? roots : ['server/src']).flatMap(sourceFiles);
const verdicts = new Map();
let passed = 0;
let failed = 0;
for (const literal of files.flatMap(literals)) {
  if (literal.pattern === undefined) {
    failed++;
    process.stdout.write(`${relative(process.cwd(), literal.file)}:${literal.line}: ${literal.text}: built at run time, so it cannot be checked: write it as a literal\n`);
    continue;
  }
  const key = `/${literal.pattern}/${literal.flags}`;
  let verdict = verdicts.get(key);
  if (!verdict) verdicts.set(key, verdict = checkSync(literal.pattern, literal.flags));
  if (verdict.status === 'safe') { passed++; continue; }
  failed++;
  const why = verdict.status === 'vulnerable'
    ? `${verdict.complexity.summary} backtracking, e.g. on ${JSON.stringify(verdict.attack.pattern)}`
    : `recheck could not decide (${verdict.error?.kind ?? verdict.status}): make it simpler`;
  process.stdout.write(`${relative(process.cwd(), literal.file)}:${literal.line}: ${literal.text}: ${why}\n`);
}
process.stdout.write(`${NAME}: ${passed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
