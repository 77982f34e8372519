#!/usr/bin/env node
// kube-immutable [options] <file|dir|->...: the same findings as the editor, for CI.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  analyzeText, AnalyzeOptions, BUILT_IN_CHECKS, configurableRuleIds, Finding, InternalError, mergePolicies, namespacePoliciesIn, RULES, SEVERITY_SETTINGS,
  SeveritySetting, withNamespacePolicies,
} from './engine';
import { DecodedText } from './engine/byteOrderMarks';
import { CliConfiguration, ConfigError } from './cliConfig';
import { SarifFinding, toSarif } from './sarif';
import { toCodeQuality } from './codeQuality';
import { findYamlFiles, isChartTemplate } from './files';
import { LinkNotFollowed } from './paths';
import { isSuggestion } from './engine/suggestions';
import { fixFile } from './cliFix';
import { readTextFileSync } from './textFiles';
import { displayPath, fixKustomizeTrees, lintKustomizeTrees } from './cliKustomize';
import { renderMain } from './cliRender';
import { SOURCE_CHECKS, SourceFinding } from './sources/sourceFindings';
import { SourceLocation } from './sources/placement';
import { sourceFixes } from './sources/fixProjection';

const USAGE = `Usage: kube-immutable [options] <file|dir|->...
       kube-immutable render <kustomization-dir|chart-dir|chart.tgz> [flags]   (see kube-immutable render --help)

Lints Kubernetes YAML for containers that can change while they run.
Directories are searched for *.yaml and *.yml files; - reads standard input
(for rendered charts: helm template . | kube-immutable -).
A directory's Kustomize trees are linted as built: each kustomization that no other
includes is rendered, and each finding is reported in the file it comes from.
render <dir> prints the build of the kustomization in <dir> (a path named render: ./render).

Options:
  --format text|json|sarif|codequality
                           output format (default: text); sarif is SARIF 2.1.0 for code scanning,
                           codequality a GitLab code quality report
  --config <file>          the configuration file (default: the nearest .kube-immutable.yaml above each file)
  --max-warnings <n>       fail only when there are more than n warnings (default: 0); errors always fail
  --all-rules              run every rule, also those that the configuration turns off
  --rule <id>=<severity>   set a rule's severity: off, hint, info, warning, error (repeatable)
  --fix                    apply the preferred fix of every problem, write the files in place, and
                           report what changed on standard error (not with -)
  --no-kustomize           lint every YAML file on its own, also patches and bases of kustomizations
  --list-rules             print the rules with their default severity and exit
  -h, --help               print this help and exit
  --version                print the version and exit

Exit status: 0 when nothing is at warning or error, 1 when something is, 2 for usage, configuration or I/O errors
and internal errors.`;

const STDIN = '-';

class UsageError extends Error {}

interface CliOptions {
  format: 'text' | 'json' | 'sarif' | 'codequality';
  inputs: string[];
  analyze: AnalyzeOptions;
  configPath?: string;
  maxWarnings?: number;
  fix?: boolean;
  noKustomize?: boolean;
}

function parseArgs(argv: string[]): CliOptions | 'help' | 'version' | 'list-rules' {
  const options: CliOptions = { format: 'text', inputs: [], analyze: { severities: {} } };
  const known = new Set(configurableRuleIds());
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const inline = arg.includes('=') && arg.startsWith('--') ? arg.slice(arg.indexOf('=') + 1) : undefined;
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      return argv[++i];
    };
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg;
    switch (name) {
      case '-h': case '--help': return 'help';
      case '--version': return 'version';
      case '--list-rules': return 'list-rules';
      case '--fix': options.fix = true; break;
      case '--no-kustomize': options.noKustomize = true; break;
      case '--all-rules': options.analyze.allRules = true; break;
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json' && format !== 'sarif' && format !== 'codequality') throw new UsageError(`unknown format "${format}" (text, json, sarif or codequality)`);
        options.format = format;
        break;
      }
      case '--config': options.configPath = value(); break;
      case '--max-warnings': {
        const max = value();
        if (!/^\d+$/.test(max)) throw new UsageError(`--max-warnings needs a number of warnings, not "${max}"`);
        options.maxWarnings = Number(max);
        break;
      }
      case '--rule': {
        const [id, severity] = value().split('=');
        if (!known.has(id)) throw new UsageError(`unknown rule "${id}" (see --list-rules)`);
        if (!SEVERITY_SETTINGS.includes(severity as SeveritySetting)) throw new UsageError(`--rule ${id} needs a severity: ${SEVERITY_SETTINGS.join(', ')}`);
        options.analyze.severities![id] = severity as SeveritySetting;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== STDIN) throw new UsageError(`unknown option ${arg}`);
        options.inputs.push(arg);
    }
  }
  if (!options.inputs.length) throw new UsageError('no file, directory or - given');
  if (options.fix && options.inputs.includes(STDIN)) throw new UsageError('--fix writes files in place, so it cannot fix standard input');
  return options;
}

/** A finding of a Kustomize tree also names places in other files (the overlays that render it), and its fixes edit files. */
type ReportedFinding = SarifFinding & { locations?: SourceLocation[] };

interface FileReport {
  file: string; findings: ReportedFinding[]; helmDocuments: number; skippedAsChartTemplate: boolean; errors?: InternalError[];
  /** Why --fix left the file as it was: its fixes failed their check (a bug). */
  fixRefused?: string;
}

/**
 * The files to lint one by one, the findings of the Kustomize trees of the directories given (all together, so
 * that a base given beside its overlays is linted through them), and the links a walk did not follow, once each.
 */
function expandInputs(inputs: string[], kustomize: boolean, configuration: CliConfiguration, fix = false, withFixes = false): { files: string[]; trees: FileReport[]; links: LinkNotFollowed[] } {
  const dirs = inputs.filter(input => {
    if (input === STDIN) return false;
    try { return statSync(input).isDirectory(); } catch { throw new IoError(`${input}: no such file or directory`); }
  });
  if (fix && kustomize && dirs.length) fixKustomizeTrees(dirs, file => configuration.optionsFor(file), file => displayPath(file, dirs[0]));
  const { findings, covered, sources } = kustomize && dirs.length ? lintKustomizeTrees(dirs, file => configuration.optionsFor(file)) : { findings: [], covered: new Set<string>(), sources: undefined };
  const trees = new Map<string, FileReport>();
  for (const finding of findings) {
    const file = displayPath(finding.file, dirs[0]);
    const report = trees.get(file) ?? { file, findings: [], helmDocuments: 0, skippedAsChartTemplate: false };
    const fileFixes = withFixes && sources ? sourceFixes(finding, sources).filter(f => !f.creates.length) : [];
    report.findings.push({ ...toReported(finding, dirs[0]), ...(fileFixes.length ? { fileFixes } : {}) });
    trees.set(file, report);
  }
  const files: string[] = [];
  const links = new Map<string, LinkNotFollowed>();
  for (const input of inputs) {
    if (!dirs.includes(input)) { files.push(input); continue; }
    const found = findYamlFiles(input);
    files.push(...found.files.filter(file => !covered.has(resolve(file))));
    for (const link of found.links) if (!links.has(link.path)) links.set(link.path, link);
  }
  return { files, trees: [...trees.values()], links: [...links.values()] };
}

function toReported(finding: SourceFinding, input: string): ReportedFinding {
  const { file, locations, renderedFrom, ...rest } = finding;
  return { ...rest, locations: locations.map(location => ({ ...location, file: displayPath(location.file, input) })) };
}

class IoError extends Error {}

/** A file to lint, read and decoded: no text for a chart template, which is skipped. */
interface Input { file: string; options: AnalyzeOptions; decoded?: DecodedText }

function readInput(file: string, options: AnalyzeOptions): Input {
  if (file !== STDIN && isChartTemplate(file)) return { file, options };
  try { return { file, options, decoded: readTextFileSync(file === STDIN ? 0 : file) }; }
  catch (error) { throw new IoError(`${file}: ${(error as Error).message}`); }
}

function lintFile({ file, decoded }: Input, options: AnalyzeOptions, fix = false): FileReport {
  if (decoded === undefined) return { file, findings: [], helmDocuments: 0, skippedAsChartTemplate: true };
  const fixed = fix ? fixFile(file, decoded, options, finding => !isSuggestion(finding, options)) : undefined;
  const text = fixed ? fixed.text : decoded.text;
  const result = analyzeText(text, options);
  return {
    file, findings: result.findings.filter(finding => !isSuggestion(finding, options)), skippedAsChartTemplate: false,
    helmDocuments: result.documents.filter(doc => doc.status === 'helm-template').length,
    ...(result.errors ? { errors: result.errors } : {}),
    ...(fixed?.refused ? { fixRefused: fixed.refused } : {}),
  };
}

/** Exceptions the engine caught: the other findings were printed, but the run is not trusted to pass. */
function reportInternalErrors(reports: FileReport[]): boolean {
  const errors = reports.flatMap(report => (report.errors ?? []).map(error => ({ file: displayName(report.file), error })));
  for (const { file, error } of errors) {
    const where = error.range ? `${file}:${error.range.start.line + 1}:${error.range.start.character + 1}: rule ${error.rule}:` : `${file}: document ${error.documentIndex + 1}: ${error.rule ? `rule ${error.rule}` : 'the analysis'} failed:`;
    process.stderr.write(`kube-immutable: internal error: ${where} ${error.message}\n`);
  }
  const refused = reports.filter(report => report.fixRefused);
  for (const report of refused) process.stderr.write(`kube-immutable: internal error: ${displayName(report.file)}: not fixed, left as it was: ${report.fixRefused}\n`);
  return errors.length + refused.length > 0;
}

function jsonFinding(file: string, finding: ReportedFinding) {
  const { start, end } = finding.range;
  return {
    file, rule: finding.rule, messageId: finding.messageId, severity: finding.severity, message: finding.message,
    line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
    documentIndex: finding.documentIndex,
    resource: finding.resource ?? {},
    ...(finding.container !== undefined ? { container: finding.container } : {}),
    ...(finding.locations?.length ? {
      related: finding.locations.map(l => ({ file: l.file, line: l.range.start.line + 1, column: l.range.start.character + 1, message: l.message })),
    } : {}),
  };
}

/** The findings of each file, with no path for standard input. */
function findingsByPath(reports: FileReport[]): { file?: string; findings: Finding[] }[] {
  return reports.map(report => ({ file: report.file === STDIN ? undefined : report.file, findings: report.findings }));
}

function displayName(file: string): string {
  return file === STDIN ? '<stdin>' : file;
}

function printText(reports: FileReport[], links: LinkNotFollowed[]): void {
  const lines: string[] = [];
  const counts: Record<string, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const report of reports) {
    for (const finding of report.findings) {
      counts[finding.severity]++;
      const { line, character } = finding.range.start;
      lines.push(`${displayName(report.file)}:${line + 1}:${character + 1} ${finding.severity} ${finding.message} ${finding.rule}`);
    }
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const files = reports.length;
  for (const link of links) lines.push(`${link.path}: symbolic link not followed: ${link.reason}`);
  const notFollowed = links.length ? `; ${links.length} symbolic link${links.length === 1 ? '' : 's'} not followed` : '';
  lines.push('', (total
    ? `${total} problem${total === 1 ? '' : 's'} (${counts.error} error, ${counts.warning} warning, ${counts.info} info, ${counts.hint} hint) in ${files} file${files === 1 ? '' : 's'}`
    : `No problems in ${files} file${files === 1 ? '' : 's'}`) + notFollowed);
  const chartFiles = reports.filter(report => report.skippedAsChartTemplate).length;
  const helmDocuments = reports.reduce((sum, report) => sum + report.helmDocuments, 0);
  if (chartFiles || helmDocuments) {
    lines.push(`Skipped ${chartFiles} Helm chart template file${chartFiles === 1 ? '' : 's'} and ${helmDocuments} document${helmDocuments === 1 ? '' : 's'} with template actions; `
      + 'lint a rendered chart with: helm template . | kube-immutable -');
  }
  process.stdout.write(lines.join('\n') + '\n');
}

export function main(argv: string[]): number {
  if (argv[0] === 'render') return renderMain(argv.slice(1));
  let options;
  try { options = parseArgs(argv); }
  catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`kube-immutable: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') { process.stdout.write(USAGE + '\n'); return 0; }
  if (options === 'version') { process.stdout.write(`${VERSION}\n`); return 0; }
  if (options === 'list-rules') {
    for (const meta of [...RULES.map(rule => rule.meta), ...BUILT_IN_CHECKS, ...SOURCE_CHECKS]) process.stdout.write(`${meta.id.padEnd(28)} ${meta.defaultSeverity.padEnd(8)} ${meta.description}\n`);
    return 0;
  }
  let reports: FileReport[];
  let links: LinkNotFollowed[];
  try {
    const configuration = new CliConfiguration(options.configPath, options.analyze);
    const expanded = expandInputs(options.inputs, !options.noKustomize, configuration, options.fix, options.format === 'sarif');
    links = expanded.links;
    const inputs = expanded.files.flatMap(file => {
      const analyze = configuration.optionsFor(file === STDIN ? undefined : file);
      return analyze ? [readInput(file, analyze)] : [];
    });
    // Two passes: a Namespace's labels apply to the pods of every linted file, whatever the order of the files.
    // Standard input has no file a related location could point at.
    const namespaces = mergePolicies(inputs.map(input => (input.decoded === undefined ? {} : namespacePoliciesIn(input.decoded.text, input.file === STDIN ? undefined : input.file))));
    reports = [...expanded.trees, ...inputs.map(input => lintFile(input, withNamespacePolicies(input.options, namespaces), options.fix))];
  }
  catch (error) {
    if (!(error instanceof IoError) && !(error instanceof ConfigError)) throw error;
    process.stderr.write(`kube-immutable: ${error.message}\n`);
    return 2;
  }
  if (options.format === 'json') {
    const findings = reports.flatMap(report => report.findings.map(finding => jsonFinding(displayName(report.file), finding)));
    const skipped = reports.filter(report => report.skippedAsChartTemplate).map(report => report.file);
    process.stdout.write(JSON.stringify({ findings, filesLinted: reports.length, skippedChartTemplates: skipped, linksNotFollowed: links }, null, 2) + '\n');
  } else if (options.format === 'sarif') {
    for (const link of links) process.stderr.write(`kube-immutable: ${link.path}: symbolic link not followed: ${link.reason}\n`);
    const tool = { version: VERSION, informationUri: HOMEPAGE, rules: [...RULES.map(rule => rule.meta), ...BUILT_IN_CHECKS, ...SOURCE_CHECKS] };
    process.stdout.write(JSON.stringify(toSarif(findingsByPath(reports), tool, process.cwd()), null, 2) + '\n');
  } else if (options.format === 'codequality') {
    process.stdout.write(JSON.stringify(toCodeQuality(findingsByPath(reports), process.cwd()), null, 2) + '\n');
  } else {
    printText(reports, links);
  }
  if (reportInternalErrors(reports)) return 2;
  const count = (severity: string) => reports.reduce((sum, report) => sum + report.findings.filter(finding => finding.severity === severity).length, 0);
  const warnings = count('warning');
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    process.stderr.write(`kube-immutable: ${warnings} warnings, more than --max-warnings ${options.maxWarnings}\n`);
  }
  return count('error') > 0 || warnings > (options.maxWarnings ?? 0) ? 1 : 0;
}

declare const VERSION: string;
const HOMEPAGE = 'https://github.com/kube-immutable/kube-immutable';

if (require.main === module) {
  try { process.exitCode = main(process.argv.slice(2)); }
  catch (error) {
    process.stderr.write(`kube-immutable: internal error: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
