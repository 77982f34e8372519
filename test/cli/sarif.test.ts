import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

function run(args: string[], cwd = ROOT, input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const LEVELS = ['none', 'note', 'warning', 'error'];
const isInt = (value: unknown, min: number) => Number.isInteger(value) && (value as number) >= min;
const isAbsoluteUri = (uri: unknown) => typeof uri === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(uri);
const isUriReference = (uri: unknown) => typeof uri === 'string' && uri.length > 0 && !/[\s\\<>"{}|^`]/.test(uri);

/**
 * What SARIF 2.1.0 (OASIS standard, with errata 01) requires of the objects this tool writes: the required
 * properties of sarifLog, run, tool, toolComponent, reportingDescriptor, result, message, location,
 * physicalLocation, artifactLocation, region, fix, artifactChange and replacement, their value constraints,
 * and the cross-references (ruleIndex into driver.rules, uriBaseId into originalUriBaseIds).
 */
function sarifViolations(log: Sarif.Log): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => { if (!ok) problems.push(what); };
  check(log.version === '2.1.0', 'sarifLog.version is "2.1.0"');
  check(log.$schema === undefined || isAbsoluteUri(log.$schema), 'sarifLog.$schema is an absolute URI');
  check(Array.isArray(log.runs), 'sarifLog.runs is an array');
  (log.runs ?? []).forEach((run, r) => {
    const at = `runs[${r}]`;
    const driver = run.tool?.driver;
    check(!!driver, `${at}.tool.driver is present`);
    check(typeof driver?.name === 'string' && driver.name.length > 0, `${at}.tool.driver.name is a non-empty string`);
    check(driver?.informationUri === undefined || isAbsoluteUri(driver.informationUri), `${at}.tool.driver.informationUri is an absolute URI`);
    const rules = driver?.rules ?? [];
    check(new Set(rules.map(rule => rule.id)).size === rules.length, `${at}.tool.driver.rules have unique ids`);
    rules.forEach((rule, i) => {
      check(typeof rule.id === 'string' && rule.id.length > 0, `${at}.rules[${i}].id is a non-empty string`);
      check(rule.shortDescription === undefined || typeof rule.shortDescription.text === 'string', `${at}.rules[${i}].shortDescription.text is a string`);
      check(rule.help === undefined || typeof rule.help.text === 'string', `${at}.rules[${i}].help.text is a string`);
      check(rule.helpUri === undefined || isAbsoluteUri(rule.helpUri), `${at}.rules[${i}].helpUri is an absolute URI`);
      const level = rule.defaultConfiguration?.level;
      check(level === undefined || LEVELS.includes(level), `${at}.rules[${i}].defaultConfiguration.level is a level`);
    });
    check(run.columnKind === undefined || ['utf16CodeUnits', 'unicodeCodePoints'].includes(run.columnKind), `${at}.columnKind is a column kind`);
    for (const [id, base] of Object.entries(run.originalUriBaseIds ?? {})) {
      check(isAbsoluteUri(base.uri) && base.uri!.endsWith('/'), `${at}.originalUriBaseIds.${id}.uri is an absolute URI ending with /`);
    }
    const artifactLocation = (location: Sarif.ArtifactLocation | undefined, where: string) => {
      check(!!location && (location.uri !== undefined || location.description !== undefined || location.index !== undefined), `${where} has a uri, index or description`);
      if (location?.uri !== undefined) check(isUriReference(location.uri), `${where}.uri is a URI reference`);
      if (location?.uriBaseId !== undefined) {
        check(!isAbsoluteUri(location.uri), `${where}.uri is relative when it has a uriBaseId`);
        check(!!run.originalUriBaseIds?.[location.uriBaseId], `${where}.uriBaseId is defined in originalUriBaseIds`);
      }
    };
    const region = (value: Sarif.Region | undefined, where: string) => {
      check(!!value && isInt(value.startLine, 1), `${where}.startLine is an integer >= 1`);
      if (!value) return;
      check(value.startColumn === undefined || isInt(value.startColumn, 1), `${where}.startColumn is an integer >= 1`);
      check(value.endLine === undefined || (isInt(value.endLine, 1) && value.endLine >= value.startLine!), `${where}.endLine >= startLine`);
      check(value.endColumn === undefined || isInt(value.endColumn, 1), `${where}.endColumn is an integer >= 1`);
      if ((value.endLine ?? value.startLine) === value.startLine && value.endColumn !== undefined) {
        check(value.endColumn >= (value.startColumn ?? 1), `${where}.endColumn >= startColumn on one line`);
      }
    };
    const physical = (location: Sarif.PhysicalLocation | undefined, where: string) => {
      check(!!location?.artifactLocation || !!location?.address, `${where} has an artifactLocation`);
      artifactLocation(location?.artifactLocation, `${where}.artifactLocation`);
      region(location?.region, `${where}.region`);
    };
    check(Array.isArray(run.results), `${at}.results is an array`);
    (run.results ?? []).forEach((result, i) => {
      const where = `${at}.results[${i}]`;
      check(typeof result.message?.text === 'string' || typeof result.message?.id === 'string', `${where}.message has text or id`);
      check(result.ruleId !== undefined || result.rule !== undefined, `${where} names its rule`);
      if (result.ruleIndex !== undefined) check(rules[result.ruleIndex]?.id === result.ruleId, `${where}.ruleIndex points at the rule ${result.ruleId}`);
      check(result.level === undefined || LEVELS.includes(result.level), `${where}.level is a level`);
      (result.locations ?? []).forEach((location, l) => physical(location.physicalLocation, `${where}.locations[${l}].physicalLocation`));
      (result.relatedLocations ?? []).forEach((location, l) => physical(location.physicalLocation, `${where}.relatedLocations[${l}].physicalLocation`));
      (result.fixes ?? []).forEach((fix, f) => {
        check(Array.isArray(fix.artifactChanges) && fix.artifactChanges.length > 0, `${where}.fixes[${f}].artifactChanges is a non-empty array`);
        (fix.artifactChanges ?? []).forEach((change, c) => {
          artifactLocation(change.artifactLocation, `${where}.fixes[${f}].artifactChanges[${c}].artifactLocation`);
          check(Array.isArray(change.replacements) && change.replacements.length > 0, `${where}.fixes[${f}].artifactChanges[${c}].replacements is a non-empty array`);
          (change.replacements ?? []).forEach((replacement, p) => {
            region(replacement.deletedRegion, `${where}.fixes[${f}].artifactChanges[${c}].replacements[${p}].deletedRegion`);
            check(replacement.insertedContent === undefined || typeof replacement.insertedContent.text === 'string', `${where}.fixes[${f}]...insertedContent.text is a string`);
          });
        });
      });
    });
  });
  return problems;
}

interface JsonFinding { file: string; rule: string; line: number; column: number; endLine: number; endColumn: number }

/** Applies SARIF replacements to a text (1-based lines and columns, the end column exclusive). */
function applyReplacements(text: string, replacements: Sarif.Replacement[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (line: number, column: number) => starts[line - 1] + column - 1;
  const edits = replacements.map(r => ({
    start: offset(r.deletedRegion.startLine!, r.deletedRegion.startColumn!),
    end: offset(r.deletedRegion.endLine!, r.deletedRegion.endColumn!),
    text: r.insertedContent?.text ?? '',
  }));
  // Later edits first; equal positions keep their order, so the first insertion ends up first.
  for (const edit of edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.i - a.i)) {
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  return text;
}

describe('CLI --format sarif', () => {
  it('writes valid SARIF 2.1.0 for examples/, with the same findings and positions as --format json', () => {
    const { status, stdout } = run(['--format', 'sarif', 'examples/']);
    assert.equal(status, 1);
    const log: Sarif.Log = JSON.parse(stdout);
    assert.deepEqual(sarifViolations(log), []);
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.tool.driver.name, 'kube-immutable');
    const rules = sarifRun.tool.driver.rules!;
    assert.ok(rules.some(rule => rule.id === 'readonly-root-filesystem' && rule.helpUri?.endsWith('/docs/rules/readonly-root-filesystem.md')));
    assert.equal(sarifRun.originalUriBaseIds!['%SRCROOT%'].uri, pathToFileURL(ROOT).href + '/');

    const json: JsonFinding[] = JSON.parse(run(['--format', 'json', 'examples/']).stdout).findings;
    const fromSarif = sarifRun.results!.map(result => {
      const { artifactLocation, region } = result.locations![0].physicalLocation!;
      return `${artifactLocation!.uri} ${result.ruleId} ${region!.startLine}:${region!.startColumn}-${region!.endLine}:${region!.endColumn}`;
    });
    assert.deepEqual(fromSarif, json.map(f => `${f.file} ${f.rule} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`));
    assert.ok(sarifRun.results!.every(result => result.locations![0].physicalLocation!.artifactLocation!.uriBaseId === '%SRCROOT%'));
  });

  it('writes fixes whose replacements, applied to the file, remove the finding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-sarif-'));
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: busybox:1.36\n';
    writeFileSync(join(dir, 'pod.yaml'), pod);
    const log: Sarif.Log = JSON.parse(run(['--format', 'sarif', 'pod.yaml'], dir).stdout);
    assert.deepEqual(sarifViolations(log), []);
    const result = log.runs[0].results!.find(r => r.ruleId === 'readonly-root-filesystem')!;
    assert.ok(result.fixes?.length, 'the finding has a fix');
    const [change] = result.fixes![0].artifactChanges;
    assert.equal(change.artifactLocation.uri, 'pod.yaml');
    writeFileSync(join(dir, 'pod.yaml'), applyReplacements(readFileSync(join(dir, 'pod.yaml'), 'utf8'), change.replacements));
    const after: JsonFinding[] = JSON.parse(run(['--format', 'json', 'pod.yaml'], dir).stdout).findings;
    assert.deepEqual(after.filter(f => f.rule === 'readonly-root-filesystem'), []);
  });

  it('names standard input by description and files outside the working directory by absolute URI', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a, image: busybox:1.36}]\n';
    const stdin: Sarif.Log = JSON.parse(run(['--format', 'sarif', '-'], ROOT, pod).stdout);
    assert.deepEqual(sarifViolations(stdin), []);
    assert.deepEqual(stdin.runs[0].results![0].locations![0].physicalLocation!.artifactLocation, { description: { text: 'standard input' } });
    const dir = mkdtempSync(join(tmpdir(), 'kube-immutable sarif-'));
    writeFileSync(join(dir, 'pod.yaml'), pod);
    const outside: Sarif.Log = JSON.parse(run(['--format', 'sarif', join(dir, 'pod.yaml')]).stdout);
    assert.deepEqual(sarifViolations(outside), []);
    assert.equal(outside.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri, pathToFileURL(join(dir, 'pod.yaml')).href);
  });

  it('the structure check rejects what the standard forbids', () => {
    const log = JSON.parse(run(['--format', 'sarif', 'examples/']).stdout);
    log.version = '2.0.0';
    log.runs[0].results[0].ruleIndex = 1;
    log.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    log.runs[0].results[2].locations[0].physicalLocation.artifactLocation.uriBaseId = 'NOPE';
    delete log.runs[0].results[3].message;
    log.runs[0].tool.driver.rules[0].helpUri = 'docs/x.md';
    assert.deepEqual(sarifViolations(log), [
      'sarifLog.version is "2.1.0"',
      'runs[0].rules[0].helpUri is an absolute URI',
      'runs[0].results[0].ruleIndex points at the rule readonly-root-filesystem',
      'runs[0].results[1].locations[0].physicalLocation.region.startLine is an integer >= 1',
      'runs[0].results[2].locations[0].physicalLocation.artifactLocation.uriBaseId is defined in originalUriBaseIds',
      'runs[0].results[3].message has text or id',
    ]);
  });
});
