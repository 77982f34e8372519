// kube-immutable [options] <file|dir|->...: the same findings as the editor, for CI.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import {
  AnalyzeOptions, BUILT_IN_CHECKS, configurableRuleIds, mergePolicies, NamespacePolicies, RULES, SEVERITY_SETTINGS,
  SeveritySetting, withNamespacePolicies,
} from './engine';
import { CliConfiguration, ConfigError } from './cliConfig';
import { findYamlFiles, isChartTemplate } from './files';
import { LinkNotFollowed } from './paths';
import { displayPath, fixKustomizeTrees, lintKustomizeTrees, withInputNamespaces } from './cliKustomize';
import { composeChains, fixComposeProjects, lintComposeProjects } from './cliCompose';
import { DiskFileSystem } from './diskFileSystem';
import { CHART_USAGE, chartDirectories, fixCharts, lintCharts, readChartFlag } from './cliHelm';
import { configuredValueSet, ValueSet } from './sources/helm/chartSource';
import { renderMain } from './cliRender';
import { SOURCE_CHECKS, SourceFinding } from './sources/sourceFindings';
import { sourceFixes } from './sources/fixProjection';
import { FileReport, IoError, LintTask, ReportedFinding, STDIN } from './cliLintFile';
import { Format, PreparedReport, prepareReport, ReportFormat, reportFormat, reportInternalErrors, RunTotals } from './cliOutput';
import { CliPool, Failure, FirstPassOutcome, firstPassOutcomeOf, throwFailure } from './cliPool';

const USAGE = `Usage: kube-immutable [options] <file|dir|->...
       kube-immutable render <kustomization-dir|chart-dir|chart.tgz> [flags]   (see kube-immutable render --help)

Lints Kubernetes YAML for containers that can change while they run.
Directories are searched for *.yaml and *.yml files; - reads standard input
(for rendered charts: helm template . | kube-immutable -).
A directory's Kustomize trees are linted as built: each kustomization that no other
includes is rendered, and each finding is reported in the file it comes from.
A compose.yaml (or docker-compose.yml) is linted with its override file and the files it
includes and extends, as docker compose merges them (or with the files that compose.projects
in .kube-immutable.yaml names for its folder).
render <dir> prints the build of the kustomization in <dir> (a path named render: ./render).
${CHART_USAGE}

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
  --jobs <n>               lint files in n threads (default: one for every two cores); 1 lints in this process
  --max-file-size <bytes>  skip files larger than this, saying so on standard error (default: no limit;
                           the editor's is 4194304)
  --list-rules             print the rules with their default severity and exit
  -h, --help               print this help and exit
  --version                print the version and exit

Exit status: 0 when nothing is at warning or error, 1 when something is, 2 for usage, configuration or I/O errors
and internal errors.`;

/**
 * One thread for every two cores: a lint thread keeps about two cores busy, its own and the V8 compiler and garbage
 * collector threads beside it (on 2 cores, 10,000 manifests: `--jobs 1` kept 1.5 cores busy, and `--jobs 2` took
 * 1.0-1.4x as long).
 */
function defaultJobs(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

class UsageError extends Error {}

interface CliOptions {
  format: Format;
  inputs: string[];
  analyze: AnalyzeOptions;
  configPath?: string;
  maxWarnings?: number;
  fix?: boolean;
  noKustomize?: boolean;
  /** How the charts given are rendered (-f, --set, --namespace, ...). */
  chart: ValueSet;
  jobs: number;
  maxFileSize?: number;
}

/** A whole number of at least `min`, or why the option needs one. */
function wholeNumber(option: string, value: string, what: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${option} needs a number of ${what}, not "${value}"`);
  return Number(value);
}

function parseArgs(argv: string[]): CliOptions | 'help' | 'version' | 'list-rules' {
  const options: CliOptions = { format: 'text', inputs: [], analyze: { severities: {} }, chart: {}, jobs: defaultJobs() };
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
      case '--max-warnings': options.maxWarnings = wholeNumber(name, value(), 'warnings'); break;
      case '--jobs': options.jobs = wholeNumber(name, value(), 'threads, at least 1', 1); break;
      case '--max-file-size': options.maxFileSize = wholeNumber(name, value(), 'bytes'); break;
      case '--rule': {
        const [id, severity] = value().split('=');
        if (!known.has(id)) throw new UsageError(`unknown rule "${id}" (see --list-rules)`);
        if (!SEVERITY_SETTINGS.includes(severity as SeveritySetting)) throw new UsageError(`--rule ${id} needs a severity: ${SEVERITY_SETTINGS.join(', ')}`);
        options.analyze.severities![id] = severity as SeveritySetting;
        break;
      }
      default:
        if (readChartFlag(name, value, options.chart)) break;
        if (arg.startsWith('-') && arg !== STDIN) throw new UsageError(`unknown option ${arg}`);
        options.inputs.push(arg);
    }
  }
  if (!options.inputs.length) throw new UsageError('no file, directory or - given');
  if (options.fix && options.inputs.includes(STDIN)) throw new UsageError('--fix writes files in place, so it cannot fix standard input');
  return options;
}

/**
 * The files to lint one by one, the findings of the Kustomize trees of the directories given (all together, so
 * that a base given beside its overlays is linted through them), and the links a walk did not follow, once each.
 */
function expandInputs(inputs: string[], kustomize: boolean, configuration: CliConfiguration, chart: ValueSet, fix: boolean, withFixes: boolean, walked: (files: number) => void): { files: string[]; trees: FileReport[]; links: LinkNotFollowed[] } {
  const dirs = inputs.filter(input => {
    if (input === STDIN) return false;
    try { return statSync(input).isDirectory(); } catch { throw new IoError(`${input}: no such file or directory`); }
  });
  // Each directory is walked once, for its charts and for its files; again after --fix, which may write files. (The
  // fixes of Kustomize trees edit files and create none: the walk before them finds the same charts.)
  const walks = new Map(dirs.map(dir => [dir, findYamlFiles(dir)]));
  walked([...walks.values()].reduce((sum, found) => sum + found.files.length, 0));
  const treeOptions = withInputNamespaces(inputs.filter(input => input !== STDIN), file => configuration.optionsFor(file));
  if (fix && kustomize && dirs.length) fixKustomizeTrees(dirs, treeOptions, file => displayPath(file, dirs[0]));
  const { findings, covered, linted: lintedInTrees, sources } = kustomize && dirs.length ? lintKustomizeTrees(dirs, treeOptions) : { findings: [], covered: new Set<string>(), linted: new Set<string>(), sources: undefined };
  const charts = chartDirectories([...walks.values()].flatMap(found => found.files));
  // Chart flags on the command line replace the value sets the configuration names.
  const valueSetsFor = (dir: string): ValueSet[] => {
    const configured = configuration.chartValueSets(dir).map(set => configuredValueSet(dir, set));
    return Object.keys(chart).length ? [chart] : configured.length ? configured : [{}];
  };
  if (fix && charts.length) fixCharts(charts, valueSetsFor, treeOptions, file => displayPath(file, dirs[0]));
  const linted = charts.length ? lintCharts(charts, valueSetsFor, treeOptions) : undefined;
  const trees = new Map<string, FileReport>();
  for (const finding of [...findings, ...linted?.findings ?? []]) {
    const file = displayPath(finding.file, dirs[0]);
    const report = trees.get(file) ?? { file, findings: [], helmDocuments: 0, skippedAsChartTemplate: false };
    const from = linted?.findings.includes(finding) ? linted.sources : sources;
    const fileFixes = withFixes && from ? sourceFixes(finding, from).filter(f => !f.creates.length) : [];
    report.findings.push({ ...toReported(finding, dirs[0]), ...(fileFixes.length ? { fileFixes } : {}) });
    trees.set(file, report);
  }
  // A chart's files, and the YAML files of the walk that a Kustomize tree read, are linted through it, with or
  // without findings.
  const throughTrees = [...walks.values()].flatMap(found => found.files).filter(file => lintedInTrees.has(resolve(file)));
  for (const treeFile of [...linted?.files ?? [], ...throughTrees]) {
    const file = displayPath(treeFile, dirs[0]);
    if (!trees.has(file)) trees.set(file, { file, findings: [], helmDocuments: 0, skippedAsChartTemplate: false });
  }
  const files: string[] = [];
  const links = new Map<string, LinkNotFollowed>();
  for (const input of inputs) {
    if (!dirs.includes(input)) { files.push(input); continue; }
    const found = fix ? findYamlFiles(input) : walks.get(input)!;
    files.push(...found.files.filter(file => !covered.has(resolve(file)) && !linted?.covered(resolve(file))));
    for (const link of found.links) if (!links.has(link.path)) links.set(link.path, link);
  }
  const projects = lintProjects(files.filter(file => file !== STDIN), configuration, inputs[0], fix);
  for (const report of projects.reports) trees.set(report.file, report);
  return { files: files.filter(file => file === STDIN || !projects.covered.has(resolve(file))), trees: [...trees.values()], links: [...links.values()] };
}

/** The Compose projects of the files (see cliCompose.ts), fixed first with --fix, as reports by file. */
function lintProjects(files: string[], configuration: CliConfiguration, input: string, fix: boolean): { reports: FileReport[]; covered: Set<string> } {
  const chains = composeChains(files, dir => configuration.composeChainFor(dir), new DiskFileSystem());
  if (!chains.length) return { reports: [], covered: new Set() };
  const optionsFor = (file: string) => configuration.optionsFor(file);
  if (fix) fixComposeProjects(chains, optionsFor, file => displayPath(file, input));
  const { findings, errors, covered, texts } = lintComposeProjects(chains, optionsFor);
  const reports = new Map<string, FileReport>();
  const reportOf = (file: string) => {
    const shown = displayPath(file, input);
    const report = reports.get(shown) ?? { file: shown, findings: [], helmDocuments: 0, skippedAsChartTemplate: false };
    reports.set(shown, report);
    return report;
  };
  // Every file a project read is linted, with or without findings.
  for (const file of [...texts.keys()].sort()) if (optionsFor(file)) reportOf(file);
  for (const { file, fixes, locations, ...finding } of findings) {
    reportOf(file).findings.push({ ...finding, locations: locations.map(l => ({ ...l, file: displayPath(l.file, input) })), ...(fixes?.length ? { fileFixes: fixes } : {}) });
  }
  for (const { file, ...error } of errors) (reportOf(file).errors ??= []).push(error);
  return { reports: [...reports.values()], covered };
}

function toReported(finding: SourceFinding, input: string): ReportedFinding {
  const { file, locations, renderedFrom, ...rest } = finding;
  return { ...rest, locations: locations.map(location => ({ ...location, file: displayPath(location.file, input) })) };
}

/**
 * Characters of text the first pass keeps for the second: the files up to this much are read once, those beyond it
 * again where they are linted.
 */
const KEPT_TEXT = 64 << 20;

/**
 * The first of two passes over the files: each file's options, the size limit, and the Namespaces whose labels
 * apply to the pods of every linted file, whatever the order of the files. The files are read across the threads
 * started so far; standard input is read here. Outcomes are taken in the files' order: what --max-file-size skips is
 * said, and the first file that cannot be read stops the run, as if the files were read one by one.
 */
async function gatherTasks(files: readonly string[], configuration: CliConfiguration, options: CliOptions, pool: CliPool): Promise<LintTask[]> {
  const tasks: LintTask[] = [];
  for (const file of files) {
    const analyze = configuration.optionsFor(file === STDIN ? undefined : file);
    if (!analyze) continue;
    tasks.push({ file, options: analyze, fix: !!options.fix, withFixes: options.format === 'sarif', chartTemplate: file !== STDIN && isChartTemplate(file), bytes: 0 });
  }
  // What each file read gave, without its text, which the task keeps or drops as it comes.
  const found = new Map<LintTask, { policies: NamespacePolicies } | { tooLarge: number } | Failure>();
  let kept = 0;
  const take = (task: LintTask, outcome: FirstPassOutcome) => {
    if (!('decoded' in outcome)) { found.set(task, outcome); return; }
    const { decoded, policies } = outcome;
    task.bytes = decoded.text.length;
    // Standard input cannot be read again; --fix keeps no text, so that a file given twice is fixed the second time
    // as the first fix left it.
    if (task.file === STDIN || (!options.fix && kept + task.bytes <= KEPT_TEXT)) {
      task.text = decoded;
      kept += task.bytes;
    }
    found.set(task, { policies });
  };
  for (const task of tasks) if (task.file === STDIN) take(task, firstPassOutcomeOf(STDIN, options.maxFileSize));
  const read = tasks.filter(task => !task.chartTemplate && task.file !== STDIN);
  await pool.firstPasses(read.map(task => task.file), (outcome, index) => take(read[index], outcome));
  const linted: LintTask[] = [];
  const policies: NamespacePolicies[] = [];
  for (const task of tasks) {
    const outcome = found.get(task);
    if (outcome && 'error' in outcome) throwFailure(outcome);
    if (outcome && 'tooLarge' in outcome) {
      tooLarge(task.file === STDIN ? '<stdin>' : task.file, outcome.tooLarge, options.maxFileSize);
      continue;
    }
    if (outcome) policies.push(outcome.policies);
    linted.push(task);
  }
  const namespaces = mergePolicies(policies);
  const withNamespaces = new Map<AnalyzeOptions, AnalyzeOptions>();
  for (const task of linted) {
    let options = withNamespaces.get(task.options);
    if (!options) withNamespaces.set(task.options, options = withNamespacePolicies(task.options, namespaces));
    task.options = options;
  }
  return linted;
}

/** Says on standard error that --max-file-size skips a file. */
function tooLarge(name: string, size: number, maxFileSize: number | undefined): void {
  process.stderr.write(`kube-immutable: ${name}: skipped, ${size} bytes is more than --max-file-size ${maxFileSize}\n`);
}

export async function main(argv: string[]): Promise<number> {
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
  const format = reportFormat(options.format, VERSION, HOMEPAGE);
  const pool = new CliPool({ format: options.format, version: VERSION, informationUri: HOMEPAGE, maxFileSize: options.maxFileSize }, format);
  try { return await lintInputs(options, format, pool); }
  finally { pool.close(); }
}

/**
 * Directories holding at least this many YAML files are likely to hold enough text for a worker (the generated
 * manifests of `npm run bench:cli` average 475 bytes): one starts as soon as the walk has found them, loads the
 * bundle while this thread builds the Kustomize trees and charts, and reads files beside it in the first pass.
 * More start once the text to lint is known.
 */
const EARLY_WORKER_FILES = 256;

async function lintInputs(options: CliOptions, format: ReportFormat, pool: CliPool): Promise<number> {
  let trees: FileReport[];
  let tasks: LintTask[];
  let links: LinkNotFollowed[];
  try {
    const configuration = new CliConfiguration(options.configPath, options.analyze);
    const expanded = expandInputs(options.inputs, !options.noKustomize, configuration, options.chart, !!options.fix, options.format === 'sarif', files => {
      if (options.jobs > 1 && files >= EARLY_WORKER_FILES) pool.start(1);
    });
    ({ trees, links } = expanded);
    tasks = await gatherTasks(expanded.files, configuration, options, pool);
  }
  catch (error) {
    if (!(error instanceof IoError) && !(error instanceof ConfigError)) throw error;
    process.stderr.write(`kube-immutable: ${error.message}\n`);
    return 2;
  }
  const writer = format.writer();
  const totals = new RunTotals();
  const emit = ({ summary, text, report }: PreparedReport) => {
    if (summary.fixLog) {
      writer.flush();
      process.stderr.write(summary.fixLog);
    }
    totals.add(summary);
    writer.file(text ?? format.text(report!));
  };
  for (const tree of trees) emit(prepareReport(tree, format));
  try { await pool.lintInOrder(tasks, options.jobs, emit); }
  catch (error) {
    if (!(error instanceof IoError)) throw error;
    writer.flush();
    process.stderr.write(`kube-immutable: ${error.message}\n`);
    return 2;
  }
  writer.end(totals, links);
  if (reportInternalErrors(totals)) return 2;
  const warnings = totals.counts.warning;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    process.stderr.write(`kube-immutable: ${warnings} warnings, more than --max-warnings ${options.maxWarnings}\n`);
  }
  return totals.counts.error > 0 || warnings > (options.maxWarnings ?? 0) ? 1 : 0;
}

declare const VERSION: string;
const HOMEPAGE = 'https://github.com/kube-immutable/kube-immutable';
