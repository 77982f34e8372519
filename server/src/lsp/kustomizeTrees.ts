// The Kustomize trees of the workspace in the language server. Each top-level kustomization is built with the
// open documents' text over the disk, and its findings are published in the source files they are placed in;
// a file is analysed through every tree that reads it, and never on its own while one does. An edit re-renders
// only the trees that read the edited file (a kustomization file's edit, which can change which trees exist,
// looks at the folders' kustomizations again, and still rebuilds only the trees whose inputs changed).
import { CodeAction, CodeActionKind, CodeActionParams, CreateFile, Diagnostic, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver';
import { AnalysisResult, analyzeText, AnalyzeOptions, Range, TextEdit } from '../engine';
import { applyTextEdits } from '../engine/fixes/apply';
import { SourceFix, sourceFixes } from '../sources/fixProjection';
import { isKustomizationFile } from '../sources/kustomize';
import { buildTree, includedDirs, kustomizationDirs, KustomizeTree, topLevel } from '../sources/kustomizeIndex';
import { findingsOfRendering, mergeShared, SourceFinding } from '../sources/sourceFindings';
import { SourceTexts } from '../sources/sourceTexts';
import { FIX_ALL_KIND, sourceDiagnostic, wanted } from './convert';
import { SourceFiles } from './sourceFiles';

/** How long an edit waits for the next one before the trees it affects are rebuilt (as for open documents). */
const DEBOUNCE_MS = 4;
/** Analyses of rendered documents kept by text, so a rebuild analyses only the documents an edit changed. */
const MAX_CACHED_ANALYSES = 4000;

interface BuiltTree { tree: KustomizeTree; findings: SourceFinding[] }

export interface TreeHost {
  /** The path of a document's URI, or undefined when the host cannot read it. */
  toPath(uri: string): string | undefined;
  toUri(path: string): string;
  /** The analysis options for a file (the tree's root file decides for its whole build). */
  optionsFor(path: string): AnalyzeOptions;
  publish(path: string, diagnostics: Diagnostic[]): void;
  /** A file that no tree reads any more: it is linted on its own again. */
  released(path: string): void;
  /** Says something the user should know (the files of the trees could not all be read). */
  tell(message: string): void;
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
  /** Where the files are fetched before a build (the browser): the builds in turn, the last one when all are done. */
  private builds?: Promise<void>;

  /** `fs` gives open documents' text over the files'. */
  constructor(private readonly host: TreeHost, private readonly fs: SourceFiles) {
    this.sources = new SourceTexts(this.fs);
    if (fs.prefetch) this.builds = Promise.resolve();
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
    // rules run again with the options now in effect.
    if (same && this.trees.size) { this.relint(); return this.builds ?? Promise.resolve(); }
    this.fs.clear();
    this.sources.clear();
    // Every tree is rebuilt; the files of trees that are gone (the scan turned off) are released.
    return this.rebuild(() => ({ stale: new Set(this.trees.keys()), build: this.topLevelDirs() }));
  }

  /** Runs the rules again on every build, and publishes the files whose findings were or are there. */
  private relint(): void {
    const affected = new Set<string>();
    for (const built of this.trees.values()) {
      built.findings.forEach(finding => affected.add(finding.file));
      const options = this.host.optionsFor(built.tree.rendering.rootFile);
      built.findings = findingsOfRendering(built.tree.rendering, this.sources, options, (text, o) => this.analyze(text, o));
      built.findings.forEach(finding => affected.add(finding.file));
    }
    for (const path of affected) if (this.readers.has(path)) this.host.publish(path, this.diagnosticsFor(path));
  }

  /** A file changed (typed into, saved, created or deleted): the trees that read it are rebuilt soon. */
  changed(uri: string): void {
    const path = this.host.toPath(uri);
    if (!path) return;
    if (!this.readers.has(path) && !isKustomizationFile(path)) return;
    this.pending.add(path);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  private flush(): void {
    const changed = this.pending;
    this.pending = new Set();
    for (const path of changed) { this.fs.forget(path); this.sources.forget(path); }
    const kustomizationChanged = [...changed].some(path => isKustomizationFile(path));
    // A kustomization created in a new folder: the listings above it are read again too.
    if (kustomizationChanged) this.fs.clear();
    void this.rebuild(() => {
      const stale = new Set<string>();
      for (const path of changed) this.readers.get(path)?.forEach(dir => stale.add(dir));
      const wanted = kustomizationChanged ? this.topLevelDirs() : [...this.trees.keys()];
      // Trees that are no longer top-level go; new ones are built; those that read a changed file are rebuilt.
      for (const dir of this.trees.keys()) if (!wanted.includes(dir)) stale.add(dir);
      return { stale, build: wanted.filter(dir => stale.has(dir) || !this.trees.has(dir)) };
    });
  }

  /**
   * Builds what `plan` says and publishes it: at once where files are read when asked (Node); in the browser
   * once the files the builds read are fetched, after the builds before it.
   */
  private rebuild(plan: () => { stale: Set<string>; build: string[] }): Promise<void> {
    const build = () => { const { stale, build } = plan(); return { stale, built: build.map(dir => this.buildTree(dir)) }; };
    if (!this.builds) { const { stale, built } = build(); this.update(stale, built); return Promise.resolve(); }
    const prefetch = this.fs.prefetch!.bind(this.fs);
    this.builds = this.builds
      .then(() => prefetch('The Kustomize trees of the workspace', build))
      .then(({ stale, built }) => this.update(stale, built))
      .catch(error => this.host.tell(`The Kustomize trees could not be built: ${(error as Error).stack ?? error}`));
    return this.builds;
  }

  private buildTree(dir: string): KustomizeTree {
    const folder = this.folders.find(f => dir === f || dir.startsWith(`${f}/`)) ?? dir;
    return buildTree(folder, dir, this.fs);
  }

  private topLevelDirs(): string[] {
    const dirs = [...new Set(this.folders.flatMap(folder => kustomizationDirs(folder, this.fs)))].sort();
    const top = topLevel(dirs, this.fs);
    // A kustomization of a cycle is included by another, but must still be built once to report the cycle.
    const reached = new Set(top.flatMap(dir => [dir, ...includedDirs(dir, this.fs)]));
    return [...top, ...dirs.filter(dir => !reached.has(dir) && !top.includes(dir))];
  }

  /** Drops the trees of `stale`, puts the `built` ones, and publishes every file whose findings or coverage may have changed. */
  private update(stale: Set<string>, built: KustomizeTree[]): void {
    const affected = new Set<string>();
    const covered = new Set(this.readers.keys());
    for (const dir of stale) {
      const old = this.trees.get(dir);
      if (!old) continue;
      this.trees.delete(dir);
      for (const path of old.tree.reads) { affected.add(path); this.readers.get(path)?.delete(dir); if (!this.readers.get(path)?.size) this.readers.delete(path); }
      for (const finding of old.findings) affected.add(finding.file);
    }
    for (const tree of built) {
      const dir = tree.dir;
      const options = this.host.optionsFor(tree.rendering.rootFile);
      const findings = findingsOfRendering(tree.rendering, this.sources, options, (text, o) => this.analyze(text, o));
      this.trees.set(dir, { tree, findings });
      for (const path of tree.reads) {
        affected.add(path);
        if (!this.readers.has(path)) this.readers.set(path, new Set());
        this.readers.get(path)!.add(dir);
      }
      for (const finding of findings) affected.add(finding.file);
    }
    for (const path of affected) {
      if (this.readers.has(path)) this.host.publish(path, this.diagnosticsFor(path));
      else if (covered.has(path)) this.host.released(path);
    }
  }

  private analyze(text: string, options: AnalyzeOptions): AnalysisResult {
    let cache = this.analyses.get(options);
    if (!cache) this.analyses.set(options, cache = new Map());
    let result = cache.get(text);
    if (!result) {
      if (cache.size >= MAX_CACHED_ANALYSES) cache.clear();
      cache.set(text, result = analyzeText(text, options));
    }
    return result;
  }

  private diagnosticsFor(path: string): Diagnostic[] {
    return this.findingsFor(path).map(finding => sourceDiagnostic(finding, path => this.host.toUri(path)));
  }

  /** The findings placed in a file, by every tree that reads it, each once. */
  findingsFor(path: string): SourceFinding[] {
    const findings = [...(this.readers.get(path) ?? [])].sort().flatMap(dir => this.trees.get(dir)?.findings.filter(f => f.file === path) ?? []);
    return mergeShared(findings);
  }

  /**
   * Quick fixes of the findings of a file that meet the requested range, made in the source files; and, when the
   * request asks for it, fix-all: the preferred fixes that change only this file.
   */
  codeActions(uri: string, params: CodeActionParams): CodeAction[] | Promise<CodeAction[]> {
    // Answer from the text the request was made on: an edit still waiting for its rebuild is built now.
    if (this.pending.size) { clearTimeout(this.timer); this.flush(); }
    if (this.builds) return this.builds.then(() => this.actionsFor(uri, params));
    return this.actionsFor(uri, params);
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
