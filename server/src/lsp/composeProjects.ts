// The Compose projects of the workspace in the language server: each folder's `compose.yaml` with its override
// file (or the chain the configuration names for the folder), read with the open documents' text over the disk.
// A project's findings are published in the files they are placed in, and a file a project reads is never linted
// on its own. An edit of a file re-reads only the projects that read it; a default Compose file created or deleted
// looks at its folder again.
import { dirname } from 'node:path';
import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import { Range } from '../engine';
import { defaultChain, isDefaultComposeFile } from '../sources/compose/chains';
import { analyzeComposeProject, ComposeFinding } from '../sources/compose/findings';
import { ComposeProject, loadComposeProject } from '../sources/compose/project';
import { trimTrailing } from '../engine/compose/text';
import { compatibleFixes } from '../sources/compose/fixAll';
import { FIX_ALL_KIND, sourceDiagnostic, wanted } from './convert';
import { TreeHost } from './kustomizeTrees';
import { RenderQueue, SourceFiles } from './sourceFiles';

/** As for the Kustomize trees: how long an edit waits for the next one before its projects are read again. */
const DEBOUNCE_MS = 4;
const SKIPPED = new Set(['node_modules', '.git']);

export interface ProjectHost extends TreeHost {
  /** The chain the configuration names for a folder, as absolute paths. */
  configuredChain(dir: string): string[] | undefined;
}

interface BuiltProject { chain: string[]; reads: Set<string>; findings: ComposeFinding[]; texts: Map<string, string> }

/** A project as read, before its rules run. */
interface LoadedProject { dir: string; chain: string[]; project: ComposeProject }

/** A Compose finding as a diagnostic: it names its related places in other files as a source finding does. */
export function composeDiagnostic({ fixes: _fixes, ...finding }: ComposeFinding, toUri: (path: string) => string): Diagnostic {
  return sourceDiagnostic({ ...finding, renderedFrom: [] }, toUri);
}

export class ComposeProjects {
  private folders: string[] = [];
  /** The built projects, by folder. */
  private readonly projects = new Map<string, BuiltProject>();
  /** Which projects (by folder) read each file. */
  private readonly readers = new Map<string, Set<string>>();
  private readonly renders: RenderQueue;
  private pending = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;

  /** `fs` gives open documents' text over the files'. */
  constructor(private readonly host: ProjectHost, private readonly fs: SourceFiles) {
    this.renders = new RenderQueue(fs, message => host.tell(message));
  }

  covers(uri: string): boolean {
    const path = this.host.toPath(uri);
    return !!path && (this.readers.get(path)?.size ?? 0) > 0;
  }

  /** Finds and reads every project of the folders, and publishes their findings; resolves once they are published. */
  setFolders(folders: readonly string[]): Promise<void> {
    this.folders = [...folders];
    this.fs.clear();
    return this.reread(() => {
      const dirs = new Set<string>();
      const visit = (dir: string) => {
        dirs.add(dir);
        for (const name of this.fs.readDirectory(dir) ?? []) {
          const path = `${dir}/${name}`;
          if (!SKIPPED.has(name) && this.fs.isDirectory(path)) visit(path);
        }
      };
      for (const folder of this.folders) visit(trimTrailing(folder, '/'));
      return { stale: new Set(this.projects.keys()), dirs: [...dirs] };
    });
  }

  /** A file changed (typed into, saved, created or deleted): the projects that read it are read again soon. */
  changed(uri: string): void {
    const path = this.host.toPath(uri);
    if (!path || (!this.readers.has(path) && !isDefaultComposeFile(path))) return;
    this.pending.add(path);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  private flush(): void {
    const changed = this.pending;
    this.pending = new Set();
    for (const path of changed) this.fs.forget(path);
    void this.reread(() => {
      const stale = new Set<string>();
      const look = new Set<string>();
      for (const path of changed) {
        this.readers.get(path)?.forEach(dir => stale.add(dir));
        // A default file created or deleted can make, change or end its folder's project.
        if (isDefaultComposeFile(path)) { look.add(dirname(path)); stale.add(dirname(path)); }
      }
      return { stale, dirs: [...new Set([...stale, ...look])] };
    });
  }

  /** Reads the projects of the folders `plan` names and publishes them (in the browser, once their files are fetched). */
  private reread(plan: () => { stale: Set<string>; dirs: string[] }): Promise<void> {
    return this.renders.run('The Compose projects of the workspace', () => {
      const { stale, dirs } = plan();
      return { stale, loaded: dirs.flatMap(dir => this.load(dir)) };
    }, ({ stale, loaded }) => this.update(stale, loaded));
  }

  /** The project of a folder, if it has one. */
  private load(dir: string): LoadedProject[] {
    const chain = this.host.configuredChain(dir) ?? defaultChain(dir, this.fs);
    return chain ? [{ dir, chain, project: loadComposeProject(chain, this.fs) }] : [];
  }

  /** Drops the projects of `stale`, puts the `loaded` ones, and publishes every file whose findings or coverage changed. */
  private update(stale: Set<string>, loaded: LoadedProject[]): void {
    const affected = new Set<string>();
    const covered = new Set(this.readers.keys());
    for (const dir of stale) {
      const old = this.projects.get(dir);
      if (!old) continue;
      this.projects.delete(dir);
      for (const path of old.reads) { affected.add(path); this.readers.get(path)?.delete(dir); if (!this.readers.get(path)?.size) this.readers.delete(path); }
    }
    for (const { dir, chain, project } of loaded) {
      const { findings } = analyzeComposeProject(project, this.host.optionsFor(chain[0]));
      // Only the files that are there: a missing include is reported where it is named, and linted when created.
      const reads = new Set([...project.reads].filter(path => project.texts.has(path)));
      this.projects.set(dir, { chain, reads, findings, texts: project.texts });
      for (const path of reads) {
        affected.add(path);
        if (!this.readers.has(path)) this.readers.set(path, new Set());
        this.readers.get(path)!.add(dir);
      }
    }
    for (const path of affected) {
      if (this.readers.has(path)) this.host.publish(path, this.findingsFor(path).map(finding => composeDiagnostic(finding, this.toUri)));
      else if (covered.has(path)) this.host.released(path);
    }
  }

  private readonly toUri = (path: string) => this.host.toUri(path);

  /** The findings placed in a file by every project that reads it. */
  findingsFor(path: string): ComposeFinding[] {
    return [...(this.readers.get(path) ?? [])].sort().flatMap(dir => this.projects.get(dir)?.findings.filter(f => f.file === path) ?? []);
  }

  /** Quick fixes of the findings of a file that meet the requested range; fix-all: the preferred fixes that change only this file. */
  codeActions(uri: string, params: CodeActionParams): CodeAction[] | Promise<CodeAction[]> {
    // Answer from the text the request was made on: an edit still waiting is read now.
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
        const diagnostic = composeDiagnostic(finding, this.toUri);
        for (const fix of finding.fixes ?? []) {
          if (actions.some(action => action.title === fix.title)) continue;
          const changes = Object.fromEntries(fix.changes.map(change => [this.toUri(change.file), change.edits]));
          actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred, edit: { changes } });
        }
      }
    }
    const all = only && wanted(FIX_ALL_KIND, only) ? this.fixAll(path, findings) : undefined;
    return all ? [...actions, all] : actions;
  }

  /** The preferred fixes of a file's findings that edit only that file and go together. */
  private fixAll(path: string, findings: ComposeFinding[]): CodeAction | undefined {
    const { chosen, shared } = compatibleFixes(findings, path);
    if (!chosen.length) return undefined;
    const edits = chosen.flatMap(({ fix }) => fix.changes.flatMap(change => change.edits));
    return { title: `Fix all kube-immutable problems that have an automatic fix (${chosen.length + shared.length})`, kind: FIX_ALL_KIND, edit: { changes: { [this.toUri(path)]: edits } } };
  }
}

/** The Kustomize trees and the Compose projects as one: what covers a file, and what an edit or a folder change reaches. */
export class CoveringSources {
  constructor(private readonly parts: readonly (Pick<ComposeProjects, 'covers' | 'changed' | 'setFolders' | 'codeActions'>)[]) {}

  covers(uri: string): boolean {
    return this.parts.some(part => part.covers(uri));
  }

  changed(uri: string): void {
    for (const part of this.parts) part.changed(uri);
  }

  /** Resolves once every part has published the folders' findings. */
  async setFolders(folders: readonly string[]): Promise<void> {
    await Promise.all(this.parts.map(part => part.setFolders(folders)));
  }

  codeActions(uri: string, params: CodeActionParams): CodeAction[] | Promise<CodeAction[]> {
    return this.parts.find(part => part.covers(uri))?.codeActions(uri, params) ?? [];
  }
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}
