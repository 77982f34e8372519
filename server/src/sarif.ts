// Findings as a SARIF 2.1.0 log (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), the
// format code-scanning services read. Paths below the working directory are written relative to it under the
// `%SRCROOT%` base, so the log does not depend on where CI checked the repository out.
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { Finding, Range, RuleMeta, Severity, TextEdit } from './engine';
import { pathBelow } from './paths';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * A finding, with the places in other files it names (the overlays that render a finding of a Kustomize tree)
 * and fixes that edit other files (a finding of a tree is fixed in the patch or base that wrote it).
 */
export type SarifFinding = Finding & {
  locations?: readonly { file: string; range: Range; message: string }[];
  fileFixes?: readonly { title: string; changes: readonly { file: string; edits: readonly TextEdit[] }[] }[];
};

export interface SarifTool { version: string; informationUri: string; rules: readonly RuleMeta[] }

/** SARIF regions are 1-based, and `endColumn` is the column after the last character, like our ranges. */
function region(range: Range): Sarif.Region {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

function artifactLocation(file: string | undefined, cwd: string): Sarif.ArtifactLocation {
  if (file === undefined) return { description: { text: 'standard input' } };
  const path = pathBelow(cwd, resolve(file));
  if (path === undefined) return { uri: pathToFileURL(file).href };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function result(finding: SarifFinding, location: Sarif.ArtifactLocation, ruleIndex: number, cwd: string): Sarif.Result {
  const sarifResult: Sarif.Result = {
    ruleId: finding.rule,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: LEVEL[finding.severity],
    message: { id: finding.messageId, text: finding.message },
    locations: [{ physicalLocation: { artifactLocation: location, region: region(finding.range) } }],
  };
  const related = [
    ...(finding.related ?? []).map(r => ({ location: r.file !== undefined ? artifactLocation(r.file, cwd) : location, range: r.range, message: r.message })),
    ...(finding.locations ?? []).map(r => ({ location: artifactLocation(r.file, cwd), range: r.range, message: r.message })),
  ];
  if (related.length) {
    sarifResult.relatedLocations = related.map((r, id) => ({
      id, message: { text: r.message }, physicalLocation: { artifactLocation: r.location, region: region(r.range) },
    }));
  }
  if (finding.fixes?.length) {
    sarifResult.fixes = finding.fixes.map(fix => ({
      description: { text: fix.title },
      artifactChanges: [{
        artifactLocation: location,
        replacements: fix.edits.map(edit => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
      }],
    }));
  }
  if (finding.fileFixes?.length) {
    sarifResult.fixes = finding.fileFixes.map(fix => ({
      description: { text: fix.title },
      artifactChanges: fix.changes.map(change => ({
        artifactLocation: artifactLocation(change.file, cwd),
        replacements: change.edits.map(edit => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
      })),
    }));
  }
  if (finding.unnecessary) sarifResult.properties = { tags: ['unnecessary'] };
  return sarifResult;
}

function reportingDescriptor(meta: RuleMeta): Sarif.ReportingDescriptor {
  return {
    id: meta.id,
    shortDescription: { text: meta.description },
    helpUri: meta.docsUrl,
    help: { text: `${meta.description} See ${meta.docsUrl}` },
    defaultConfiguration: meta.defaultSeverity === 'off' ? { enabled: false } : { level: LEVEL[meta.defaultSeverity] },
    // What each message id means; a result's own text says it for that finding.
    messageStrings: Object.fromEntries(Object.entries(meta.messages).map(([id, text]) => [id, { text }])),
  };
}

/**
 * The result of each finding of one file after another (a path, or undefined for standard input), for a log written
 * as the files are linted (see sarifLog).
 */
export function sarifResultOf(tool: SarifTool, cwd: string): (file: string | undefined) => (finding: SarifFinding) => Sarif.Result {
  const ruleIndex = new Map(tool.rules.map((meta, index) => [meta.id, index]));
  return file => {
    const location = artifactLocation(file, cwd);
    return finding => result(finding, location, ruleIndex.get(finding.rule) ?? -1, cwd);
  };
}

/** The log around its results. */
export function sarifLog(tool: SarifTool, cwd: string, results: Sarif.Result[]): Sarif.Log {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'kube-immutable', version: tool.version, informationUri: tool.informationUri, rules: tool.rules.map(reportingDescriptor) } },
      originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : cwd + sep).href } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}
