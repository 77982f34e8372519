// The Pod Security labels of the Namespaces in the workspace: from the scanned files on disk and from the text of
// the open documents, so that a Deployment is checked against its Namespace wherever that is defined, and a
// change of the label reaches every file.
import { AnalyzeOptions, mergePolicies, NamespacePolicies, namespacePoliciesIn, splitStream, withNamespacePolicies } from '../engine';
import { LABEL_PREFIX } from '../engine/podSecurity/namespaces';

export class NamespaceIndex {
  private readonly byUri = new Map<string, NamespacePolicies>();
  /**
   * What each chunk with a Pod Security label of each file's latest text holds, by its line and text: an edit of a
   * stream reads again only the labelled chunks it changed or moved, not the whole stream on every keystroke.
   */
  private readonly chunksByUri = new Map<string, Map<string, NamespacePolicies>>();
  private merged: NamespacePolicies = {};
  /** The options with the namespaces added, one object per configuration while the namespaces stay the same. */
  private withPolicies = new WeakMap<AnalyzeOptions, AnalyzeOptions>();

  /** Records the Namespaces of a file's text (undefined: the file is gone); returns true when that changed what the index says. */
  update(uri: string, text: string | undefined): boolean {
    if (text === undefined) this.chunksByUri.delete(uri);
    const found = text === undefined ? {} : this.policiesIn(uri, text);
    const had = this.byUri.get(uri) ?? {};
    if (JSON.stringify(found) === JSON.stringify(had)) return false;
    if (Object.keys(found).length) this.byUri.set(uri, found); else this.byUri.delete(uri);
    this.merged = mergePolicies([...this.byUri.values()]);
    this.withPolicies = new WeakMap();
    return true;
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
