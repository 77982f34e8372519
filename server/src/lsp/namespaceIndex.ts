// The Pod Security labels of the Namespaces in the workspace: from the scanned files on disk and from the text of
// the open documents, so that a Deployment is checked against its Namespace wherever that is defined, and a
// change of the label reaches every file.
import { AnalyzeOptions, mergePolicies, NamespacePolicies, namespacePoliciesIn, splitStream, StreamText, UnchangedEnds, withNamespacePolicies } from '../engine';
import { LABEL_PREFIX } from '../engine/podSecurity/namespaces';
import { Snapshot } from './analysisScheduler';

/** An open document's version, and what it has of an earlier version's text. */
export type DocumentVersion = Pick<Snapshot, 'version' | 'unchangedSince'>;

export class NamespaceIndex {
  private readonly byUri = new Map<string, NamespacePolicies>();
  /**
   * What each chunk with a Pod Security label of each file's latest text holds, by its line and text: an edit of a
   * stream reads again only the labelled chunks it changed or moved, not the whole stream on every keystroke.
   */
  private readonly chunksByUri = new Map<string, Map<string, NamespacePolicies>>();
  private merged: NamespacePolicies = {};
  /** The version of each open document whose text was recorded last. */
  private readonly versions = new Map<string, number>();
  /** The options with the namespaces added, one object per configuration while the namespaces stay the same. */
  private withPolicies = new WeakMap<AnalyzeOptions, AnalyzeOptions>();

  /**
   * Records the Namespaces of a file's text (undefined: the file is gone), `document` its version when it is open;
   * returns true when that changed what the index says. An edit that cannot have changed a label reads only the
   * text it changed.
   */
  update(uri: string, text: StreamText | undefined, document?: DocumentVersion): boolean {
    const since = this.versions.get(uri);
    if (text !== undefined && document) this.versions.set(uri, document.version); else this.versions.delete(uri);
    if (text === undefined) this.chunksByUri.delete(uri);
    // An edit of a stream without a label adds one only where it changed the text: the rest is not read.
    const unchanged = since === undefined || text === undefined ? undefined : document?.unchangedSince?.(since);
    if (unchanged && !this.chunksByUri.has(uri) && !mayAddLabel(text!, unchanged)) return false;
    const found = text === undefined ? {} : this.policiesIn(uri, String(text));
    const had = this.byUri.get(uri) ?? {};
    if (JSON.stringify(found) === JSON.stringify(had)) return false;
    if (Object.keys(found).length) this.byUri.set(uri, found); else this.byUri.delete(uri);
    this.merged = mergePolicies([...this.byUri.values()]);
    this.withPolicies = new WeakMap();
    return true;
  }

  /** A document was closed: the version numbers of its next opening say nothing of the text recorded. */
  documentClosed(uri: string): void {
    this.versions.delete(uri);
  }

  /** The Namespaces of a stream, read a `---` chunk at a time as the analysis reads it, later ones winning. */
  private policiesIn(uri: string, text: string): NamespacePolicies {
    if (!text.includes(LABEL_PREFIX)) {
      this.chunksByUri.delete(uri);
      return {};
    }
    const known = this.chunksByUri.get(uri);
    const chunks = new Map<string, NamespacePolicies>();
    for (const chunk of splitStream(text)) {
      if (!chunk.text.includes(LABEL_PREFIX)) continue;
      const key = `${chunk.line}\0${chunk.text}`;
      chunks.set(key, known?.get(key) ?? namespacePoliciesIn(chunk.text, uri, chunk.line));
    }
    this.chunksByUri.set(uri, chunks);
    return mergePolicies([...chunks.values()]);
  }

  options(options: AnalyzeOptions): AnalyzeOptions {
    let result = this.withPolicies.get(options);
    if (!result) this.withPolicies.set(options, result = withNamespacePolicies(options, this.merged));
    return result;
  }
}

/** Might a label start in the text that an edit changed, or end there? Its unchanged ends have none, by the caller. */
function mayAddLabel(text: StreamText, { prefix, suffix }: UnchangedEnds): boolean {
  const from = Math.max(0, prefix - LABEL_PREFIX.length + 1);
  const to = Math.min(text.length, text.length - suffix + LABEL_PREFIX.length - 1);
  return from < to && text.slice(from, to).includes(LABEL_PREFIX);
}
