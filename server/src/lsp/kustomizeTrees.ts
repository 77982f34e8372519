// The rendered sources of the workspace in the language server: Kustomize trees, and the Helm charts that
// lsp/helmCharts.ts describes. Each top-level kustomization (each chart) is rendered with the open documents'
// text over the disk, and its findings are published in the source files they are placed in; a file is
// analysed through every tree that reads it, and never on its own while one does. An edit re-renders only the
// trees that read the edited file (an edit of a root file, which can change which trees exist, looks at the
// folders' roots again, and still rebuilds only the trees whose inputs changed).
import { CodeAction, CodeActionKind, CodeActionParams, CreateFile, Diagnostic, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver';
import { AnalysisResult, analyzeText, AnalyzeOptions, ChartValueSet, ChunkParse, FixDemand, Range, TextEdit } from '../engine';
import { applyTextEdits } from '../engine/fixes/apply';
import { SourceFix, sourceFixes } from '../sources/fixProjection';
import { isKustomizationFile } from '../sources/kustomize';
import { buildTree, includedDirs, kustomizationDirs, KustomizeTree, topLevel } from '../sources/kustomizeIndex';
import { SourceFileSystem } from '../sources/origin';
import { COMMENT_DIRECTIVES, findingsOfRendering, Judged, mergeShared, Rendering, SourceDirectives, SourceFinding, unusedInFiles } from '../sources/sourceFindings';
import { SuppressionUses } from '../sources/sourceSuppressions';
import { SourceTexts } from '../sources/sourceTexts';
import { FIX_ALL_KIND, sourceDiagnostic, wanted } from './convert';
import { RenderQueue, SourceFiles } from './sourceFiles';

/** How long an edit waits for the next one before the trees it affects are rebuilt (as for open documents). */
const DEBOUNCE_MS = 4;
/** Analyses of rendered documents kept by text, so a rebuild analyses only the documents an edit changed. */
const MAX_CACHED_ANALYSES = 4000;

/** What a root renders: one rendering or several (a chart's value sets), and every file they read. */
export interface SourceTree {
  renderings: { rendering: Rendering; namespace?: string }[];
  reads: Iterable<string>;
}

/** A kind of rendered source: where its roots are, and how one is rendered. */
export interface TreeSource {
  kind: string;
  /** What its roots are called in a message (`Kustomize trees`). */
  title: string;
  /** A file whose change can add or remove roots (a kustomization, a chart's Chart.yaml or template). */
  isRootFile(path: string): boolean;
  rootDirs(folders: readonly string[], fs: SourceFileSystem): string[];
  build(folder: string, dir: string, fs: SourceFiles, host: TreeHost): SourceTree;
  /** What the configuration says of how a root is rendered (a chart's value sets): when it changes, the root is rebuilt. */
  configured?(dir: string, host: TreeHost): string;
  /** The options of one rendering, from those of its root file (a chart's namespace and Pod Security). */
  options?(options: AnalyzeOptions, namespace: string | undefined): AnalyzeOptions;
  /** The suppression directives of its files, which are reported when they suppress nothing. */
  directives: SourceDirectives;
  /** Which directives a built root can tell unused (all when absent). */
  judge?(tree: SourceTree, sources: SourceTexts): Judged;
}

export const KUSTOMIZE_TREES: TreeSource = {
  kind: 'kustomize',
  title: 'Kustomize trees',
  isRootFile: isKustomizationFile,
  rootDirs(folders, fs) {
    const dirs = [...new Set(folders.flatMap(folder => kustomizationDirs(folder, fs)))].sort();
    const top = topLevel(dirs, fs);
    // A kustomization of a cycle is included by another, but must still be built once to report the cycle.
    const reached = new Set(top.flatMap(dir => [dir, ...includedDirs(dir, fs)]));
    return [...top, ...dirs.filter(dir => !reached.has(dir) && !top.includes(dir))];
  },
  build(folder, dir, fs) {
    const tree: KustomizeTree = buildTree(folder, dir, fs);
    return { renderings: [{ rendering: tree.rendering }], reads: tree.reads };
  },
  directives: COMMENT_DIRECTIVES,
};

interface BuiltTree {
  kind: TreeSource;
  tree: SourceTree;
  findings: SourceFinding[];
  configured: string;
  /** What the directives of the files it read suppressed. */
  uses: SuppressionUses;
  /** Could a rendering not be built as written? Its files' directives may then miss what they suppress. */
  unsure: boolean;
  judged: Judged;
}

export interface TreeHost {
  /** The path of a document's URI, or undefined when the host cannot read it. */
  toPath(uri: string): string | undefined;
  toUri(path: string): string;
  /** The analysis options for a file (the tree's root file decides for its whole build). */
  optionsFor(path: string): AnalyzeOptions;
  publish(path: string, diagnostics: Diagnostic[]): void;
  /** A file that no tree reads any more: it is linted on its own again. */
  released(path: string): void;
  /** Says something the user should know, once (the files of the trees could not all be read). */
  tell(message: string): void;
  /** The value sets the configuration names for a chart folder; none when it names none. */
  chartValueSets?(dir: string): ChartValueSet[];
}

export class KustomizeTrees {
  private folders: string[] = [];
  private readonly trees = new Map<string, BuiltTree>();
  /** Which trees (by root directory) read each file. */
  private readonly readers = new Map<string, Set<string>>();
  private readonly sources: SourceTexts;
  private readonly analyses = new Map<AnalyzeOptions, Map<string, AnalysisResult>>();
  private pending = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;
  private readonly renders: RenderQueue;

  /** `fs` gives open documents' text over the files'. */
  constructor(private readonly host: TreeHost, private readonly fs: SourceFiles, private readonly kinds: readonly TreeSource[] = [KUSTOMIZE_TREES]) {
    this.sources = new SourceTexts(this.fs);
    this.renders = new RenderQueue(fs, message => host.tell(message));
  }

  /** Does some tree read the file (so that it is not linted on its own)? */
  covers(uri: string): boolean {
    const path = this.host.toPath(uri);
    return !!path && (this.readers.get(path)?.size ?? 0) > 0;
  }

  /** Finds and builds every tree of the folders, and publishes their findings; resolves once they are published. */
  setFolders(folders: readonly string[]): Promise<void> {
    const same = folders.length === this.folders.length && folders.every((folder, i) => folder === this.folders[i]);
    this.folders = [...folders];
    // The same folders after a change of settings: the builds stand (file events keep them current), only the
    // rules run again with the options now in effect; a root the configuration now renders otherwise is rebuilt.
    if (same && this.trees.size) {
      const reconfigured = new Set([...this.trees].filter(([key, built]) => this.configuredOf(built.kind, key) !== built.configured).map(([key]) => key));
      this.relint(reconfigured);
      if (reconfigured.size) return this.rebuild(() => ({ stale: reconfigured, build: [...reconfigured] }));
      return Promise.resolve(this.renders.after(() => undefined));
    }
    this.fs.clear();
    this.sources.clear();
    // Every tree is rebuilt; the files of trees that are gone (the scan turned off) are released.
    return this.rebuild(() => ({ stale: new Set(this.trees.keys()), build: this.topLevelDirs() }));
  }

  /** What the configuration says of how the root of `key` is rendered. */
  private configuredOf(kind: TreeSource, key: string): string {
    return kind.configured?.(key.slice(kind.kind.length + 1), this.host) ?? '';
  }

  /** Runs the rules again on every build but those about to be made again, and publishes the files whose findings were or are there. */
  private relint(rebuilt: ReadonlySet<string>): void {
    const affected = new Set<string>();
    for (const [key, built] of this.trees) {
      if (rebuilt.has(key)) continue;
      built.findings.forEach(finding => affected.add(finding.file));
      built.uses = new SuppressionUses();
      built.findings = this.findingsOf(built.kind, built.tree, built.uses);
      built.findings.forEach(finding => affected.add(finding.file));
      // A directive may suppress nothing now (its rule turned off), in a file without findings.
      for (const path of built.tree.reads) if (this.sources.get(path)?.text.includes('kube-immutable-ignore')) affected.add(path);
    }
    for (const path of affected) if (this.readers.has(path)) this.host.publish(path, this.diagnosticsFor(path));
  }

  /** A file changed (typed into, saved, created or deleted): the trees that read it are rebuilt soon. */
  changed(uri: string): void {
    const path = this.host.toPath(uri);
    if (!path) return;
    if (!this.readers.has(path) && !this.kinds.some(kind => kind.isRootFile(path))) return;
    this.pending.add(path);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  private flush(): void {
    const changed = this.pending;
    this.pending = new Set();
    for (const path of changed) { this.fs.forget(path); this.sources.forget(path); }
    const rootChanged = [...changed].some(path => this.kinds.some(kind => kind.isRootFile(path)));
    // A kustomization created in a new folder: the listings above it are read again too.
    if (rootChanged) this.fs.clear();
    void this.rebuild(() => {
      const stale = new Set<string>();
      for (const path of changed) this.readers.get(path)?.forEach(dir => stale.add(dir));
      // A new root file inside a tree (a chart's new template) is read by nothing yet: its tree is rebuilt too.
      for (const [key, built] of this.trees) {
        const dir = key.slice(built.kind.kind.length + 1);
        if ([...changed].some(path => path.startsWith(`${dir}/`) && built.kind.isRootFile(path))) stale.add(key);
      }
      const wanted = rootChanged ? this.topLevelDirs() : [...this.trees.keys()];
      // Trees that are no longer top-level go; new ones are built; those that read a changed file are rebuilt.
      for (const dir of this.trees.keys()) if (!wanted.includes(dir)) stale.add(dir);
      return { stale, build: wanted.filter(dir => stale.has(dir) || !this.trees.has(dir)) };
    });
  }

  /** Builds what `plan` says and publishes it (in the browser, once the files the builds read are fetched). */
  private rebuild(plan: () => { stale: Set<string>; build: string[] }): Promise<void> {
    return this.renders.run(`The ${this.kinds.map(kind => kind.title).join(' and ')} of the workspace`, () => {
      const { stale, build } = plan();
      return { stale, built: build.map(key => this.buildTree(key)) };
    }, ({ stale, built }) => this.update(stale, built));
  }

  /** Renders the root of a key of `trees` (`<kind>:<dir>`). */
  private buildTree(key: string): BuiltTree & { key: string } {
    const kind = this.kinds.find(k => key.startsWith(`${k.kind}:`))!;
    const dir = key.slice(kind.kind.length + 1);
    const folder = this.folders.find(f => dir === f || dir.startsWith(`${f}/`)) ?? dir;
    const tree = kind.build(folder, dir, this.fs, this.host);
    const unsure = tree.renderings.some(({ rendering }) => rendering.problems.some(problem => problem.severity === 'error'));
    return { key, kind, tree, findings: [], configured: this.configuredOf(kind, key), uses: new SuppressionUses(), unsure, judged: () => true };
  }

  /** The roots of every kind, as keys of `trees`: `<kind>:<dir>`. */
  private topLevelDirs(): string[] {
    return this.kinds.flatMap(kind => kind.rootDirs(this.folders, this.fs).map(dir => `${kind.kind}:${dir}`));
  }

  /** The findings of a tree's renderings, each with the options of its root file; what its directives suppressed goes to `uses`. */
  private findingsOf(kind: TreeSource, tree: SourceTree, uses: SuppressionUses): SourceFinding[] {
    return tree.renderings.flatMap(({ rendering, namespace }) => {
      const options = this.host.optionsFor(rendering.rootFile);
      return findingsOfRendering(rendering, this.sources, kind.options?.(options, namespace) ?? options, (text, o, fixes, parse) => this.analyze(text, o, fixes, parse), uses);
    });
  }

  /** Drops the trees of `stale`, puts the `built` ones, and publishes every file whose findings or coverage may have changed. */
  private update(stale: Set<string>, built: (BuiltTree & { key: string })[]): void {
    const affected = new Set<string>();
    const covered = new Set(this.readers.keys());
    for (const dir of stale) {
      const old = this.trees.get(dir);
      if (!old) continue;
      this.trees.delete(dir);
      for (const path of old.tree.reads) { affected.add(path); this.readers.get(path)?.delete(dir); if (!this.readers.get(path)?.size) this.readers.delete(path); }
      for (const finding of old.findings) affected.add(finding.file);
    }
    for (const { key, kind, tree, configured, uses, unsure } of built) {
      // The rules run on what was built: in the browser, the options in effect once the files are fetched.
      const findings = this.findingsOf(kind, tree, uses);
      this.trees.set(key, { kind, tree, findings, configured, uses, unsure, judged: kind.judge?.(tree, this.sources) ?? (() => true) });
      for (const path of tree.reads) {
        affected.add(path);
        if (!this.readers.has(path)) this.readers.set(path, new Set());
        this.readers.get(path)!.add(key);
      }
      for (const finding of findings) affected.add(finding.file);
    }
    // The parses of rendered texts that no tree holds any more are let go.
    this.sources.keepRendered(new Set([...this.trees.values()].flatMap(({ tree }) => tree.renderings.flatMap(({ rendering }) => rendering.documents.map(document => document.text)))));
    for (const path of affected) {
      if (this.readers.has(path)) this.host.publish(path, this.diagnosticsFor(path));
      else if (covered.has(path)) this.host.released(path);
    }
  }

  private analyze(text: string, options: AnalyzeOptions, fixes: FixDemand, parse: ChunkParse): AnalysisResult {
    let cache = this.analyses.get(options);
    if (!cache) this.analyses.set(options, cache = new Map());
    const key = `${fixes}\0${text}`;
    let result = cache.get(key);
    if (!result) {
      if (cache.size >= MAX_CACHED_ANALYSES) cache.clear();
      cache.set(key, result = analyzeText(text, options, fixes, parse));
    }
    return result;
  }

  private diagnosticsFor(path: string): Diagnostic[] {
    return this.findingsFor(path).map(finding => sourceDiagnostic(finding, path => this.host.toUri(path)));
  }

  /**
   * The findings placed in a file, by every tree that reads it, each once; and its directives that suppressed nothing
   * in any of them, unless one of them could not be built as written.
   */
  findingsFor(path: string): SourceFinding[] {
    const built = [...(this.readers.get(path) ?? [])].sort().flatMap(dir => this.trees.get(dir) ?? []);
    const findings = built.flatMap(tree => tree.findings.filter(f => f.file === path));
    if (built.length && !built.some(tree => tree.unsure)) {
      const uses = SuppressionUses.union(built.map(tree => tree.uses));
      const judged: Judged = (file, text, directive) => built.some(tree => tree.judged(file, text, directive));
      findings.push(...unusedInFiles([path], this.sources, uses, file => this.host.optionsFor(file), built[0].kind.directives, judged));
    }
    return mergeShared(findings);
  }

  /**
   * Quick fixes of the findings of a file that meet the requested range, made in the source files; and, when the
   * request asks for it, fix-all: the preferred fixes that change only this file.
   */
  codeActions(uri: string, params: CodeActionParams): CodeAction[] | Promise<CodeAction[]> {
    // Answer from the text the request was made on: an edit still waiting for its rebuild is built now.
    if (this.pending.size) { clearTimeout(this.timer); this.flush(); }
    return this.renders.after(() => this.actionsFor(uri, params));
  }

  private actionsFor(uri: string, params: CodeActionParams): CodeAction[] {
    const path = this.host.toPath(uri);
    if (!path) return [];
    const { only } = params.context;
    const findings = this.findingsFor(path);
    const actions: CodeAction[] = [];
    if (wanted(CodeActionKind.QuickFix, only)) {
      for (const finding of findings) {
        if (!overlaps(finding.range, params.range)) continue;
        const diagnostic = sourceDiagnostic(finding, path => this.host.toUri(path));
        for (const fix of sourceFixes(finding, this.sources)) {
          if (actions.some(action => action.title === fix.title)) continue;
          actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred, edit: workspaceEdit(fix, path => this.host.toUri(path)) });
        }
      }
    }
    const all = only && wanted(FIX_ALL_KIND, only) ? this.fixAll(path, findings) : undefined;
    return all ? [...actions, all] : actions;
  }

  /** The preferred fixes of a file's findings that edit only that file, those whose edits do not overlap an earlier one's. */
  private fixAll(path: string, findings: SourceFinding[]): CodeAction | undefined {
    const text = this.fs.readFile(path);
    if (text === undefined) return undefined;
    const edits: TextEdit[] = [];
    let applied = 0;
    const seen = new Set<string>();
    for (const finding of findings) {
      const fix = sourceFixes(finding, this.sources).find(f => f.isPreferred);
      if (!fix || fix.creates.length || fix.changes.some(change => change.file !== path)) continue;
      // One fix that several findings offer (hardening a container) is applied once.
      const key = JSON.stringify(fix.changes);
      if (seen.has(key)) { applied++; continue; }
      seen.add(key);
      const candidate = [...edits, ...fix.changes.flatMap(change => change.edits)];
      try { applyTextEdits(text, candidate); } catch { continue; }
      edits.splice(0, edits.length, ...candidate);
      applied++;
    }
    if (!applied) return undefined;
    return { title: `Fix all kube-immutable problems that have an automatic fix (${applied})`, kind: FIX_ALL_KIND, edit: { changes: { [this.host.toUri(path)]: edits } } };
  }
}

/** A fix as a workspace edit: plain changes, or, when it creates a file, document changes in order. */
function workspaceEdit(fix: SourceFix, toUri: (path: string) => string): WorkspaceEdit {
  if (!fix.creates.length) return { changes: Object.fromEntries(fix.changes.map(change => [toUri(change.file), change.edits])) };
  const start = { line: 0, character: 0 };
  return {
    documentChanges: [
      ...fix.creates.flatMap(created => [
        CreateFile.create(toUri(created.file), { ignoreIfExists: false }),
        TextDocumentEdit.create({ uri: toUri(created.file), version: null }, [{ range: { start, end: start }, newText: created.text }]),
      ]),
      ...fix.changes.map(change => TextDocumentEdit.create({ uri: toUri(change.file), version: null }, change.edits)),
    ],
  };
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}
