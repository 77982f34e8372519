// Fails when a regular expression literal in the product's source can take more than linear time: recheck
// (https://makenowjust-labs.github.io/recheck/) decides, for each literal, whether some input makes a
// backtracking engine such as V8's take polynomial or exponential time. A `RegExp(...)` built from anything but
// string literals cannot be checked, so it fails too: every pattern the product runs is then checked here. The one
// exception is a pattern the user wrote (a template's regex function, a schema's `pattern`): a `RegExp(...)` call on
// the line after exactly `// regex-check: a pattern the user wrote, run as written` is counted as allowed.
//   node scripts/checks/regex-check.mjs [file or folder...]   (default: server/src)
import { checkSync } from 'recheck';
import ts from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const NAME = 'regex-check';
const ALLOW_COMMENT = '// regex-check: a pattern the user wrote, run as written';

function sourceFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap(name => sourceFiles(join(path, name))).filter(file => /\.[cm]?[jt]s$/.test(file));
}

const isStringLiteral = node => node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));

/**
 * Every regular expression of a file, literal or `RegExp(...)`, with its line; `pattern` is undefined when it is built
 * at run time; `allowed` marks a `RegExp(...)` call right under the comment that says it runs a pattern the user wrote.
 */
function literals(file) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (node, pattern, flags, allowed = false) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({ file, line, text: node.getText(source), pattern, flags, allowed: allowed && lines[line - 2]?.trim() === ALLOW_COMMENT });
  };
  const visit = node => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(source);
      const close = text.lastIndexOf('/');
      add(node, text.slice(1, close), text.slice(close + 1));
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      const [pattern, flags] = node.arguments ?? [];
      const known = isStringLiteral(pattern) && (!flags || isStringLiteral(flags));
      add(node, known ? pattern.text : undefined, known ? flags?.text ?? '' : undefined, true);
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
let allowed = 0;
for (const literal of files.flatMap(literals)) {
  if (literal.allowed) {
    allowed++;
    process.stdout.write(`${relative(process.cwd(), literal.file)}:${literal.line}: ${literal.text}: allowed (a pattern the user wrote)\n`);
    continue;
  }
  if (literal.pattern === undefined) {
    failed++;
    process.stdout.write(`${relative(process.cwd(), literal.file)}:${literal.line}: ${literal.text}: built at run time, so it cannot be checked: write it as a literal\n`);
    continue;
  }
  const key = `/${literal.pattern}/${literal.flags}`;
  let verdict = verdicts.get(key);
  // A minute per pattern: recheck's default ten seconds can run out on a busy machine and fail a safe pattern.
  if (!verdict) verdicts.set(key, verdict = checkSync(literal.pattern, literal.flags, { timeout: 60_000 }));
  if (verdict.status === 'safe') { passed++; continue; }
  failed++;
  const why = verdict.status === 'vulnerable'
    ? `${verdict.complexity.summary} backtracking, e.g. on ${JSON.stringify(verdict.attack.pattern)}`
    : `recheck could not decide (${verdict.error?.kind ?? verdict.status}): make it simpler`;
  process.stdout.write(`${relative(process.cwd(), literal.file)}:${literal.line}: ${literal.text}: ${why}\n`);
}
process.stdout.write(`${NAME}: ${passed} passed, ${failed} failed\n`);
if (allowed) process.stdout.write(`${NAME}: ${allowed} allowed (patterns the user wrote)\n`);
process.exitCode = failed ? 1 : 0;
