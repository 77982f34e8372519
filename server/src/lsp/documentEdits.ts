// What each version of an open document changed. The editor sends its edits as ranges; from them the analysis of a
// large stream knows which part of the text is new without comparing the rest (engine/incremental.ts), so an edit
// costs what the edited document costs, not what the whole file does.
import { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver';
import { UnchangedEnds } from '../engine';
import { Snapshot } from './analysisScheduler';
import { OpenDocument } from './openDocument';

/** One update of a document, from one version to the next, and the ends of its text that it left as they were. */
interface Update extends UnchangedEnds {
  from: number;
  to: number;
}

/**
 * How many updates of a document are remembered: an analysis runs on the latest version, at most a few versions
 * after the one it last completed; one further behind analyses the whole text again.
 */
const REMEMBERED_UPDATES = 32;

export class DocumentEdits {
  private readonly updates = new Map<string, Update[]>();

  /** Create and update of the documents of `TextDocuments`, each update recorded. */
  readonly configuration: TextDocumentsConfiguration<OpenDocument> = {
    create: (uri, languageId, version, content) => {
      this.updates.delete(uri);
      return new OpenDocument(uri, languageId, version, content);
    },
    update: (document, changes, version) => {
      const update: Update = { from: document.version, to: version, prefix: Infinity, suffix: Infinity, previousLength: document.text.length };
      // The changes apply one after the other, each to the text the one before left.
      for (const change of changes) this.apply(document, change, update);
      const { length } = document.text;
      const updates = this.updates.get(document.uri) ?? [];
      updates.push({ ...update, prefix: Math.min(update.prefix, length), suffix: Math.min(update.suffix, length) });
      if (updates.length > REMEMBERED_UPDATES) updates.shift();
      this.updates.set(document.uri, updates);
      document.update([], version);
      return document;
    },
  };

  /**
   * A change keeps the text before its start and after its end: what every change of an update keeps, the update
   * keeps. A change without a range replaces the whole text.
   */
  private apply(document: OpenDocument, change: TextDocumentContentChangeEvent, update: Update): void {
    const { length } = document.text;
    if ('range' in change) {
      const [start, end] = [document.offsetAt(change.range.start), document.offsetAt(change.range.end)].sort((a, b) => a - b);
      update.prefix = Math.min(update.prefix, start);
      update.suffix = Math.min(update.suffix, length - end);
    } else {
      update.prefix = update.suffix = 0;
    }
    document.update([change], document.version);
  }

  /** The ends of version `to` of a document that version `from` has too, when its updates between are remembered. */
  unchangedBetween(uri: string, from: number, to: number): UnchangedEnds | undefined {
    const updates = this.updates.get(uri) ?? [];
    let i = updates.length - 1;
    while (i >= 0 && updates[i].to !== to) i--;
    if (i < 0) return undefined;
    let { prefix, suffix } = updates[i];
    for (; i >= 0; i--) {
      prefix = Math.min(prefix, updates[i].prefix);
      suffix = Math.min(suffix, updates[i].suffix);
      if (updates[i].from === from) return { prefix, suffix, previousLength: updates[i].previousLength };
      if (i === 0 || updates[i - 1].to !== updates[i].from) return undefined;
    }
    return undefined;
  }

  /** A document as the scheduler analyses it, saying what changed since an earlier version. */
  snapshot(document: OpenDocument): Snapshot {
    return {
      uri: document.uri,
      version: document.version,
      getText: () => document.getText(),
      streamText: () => document.text,
      unchangedSince: version => this.unchangedBetween(document.uri, version, document.version),
    };
  }

  forget(uri: string): void {
    this.updates.delete(uri);
  }
}
