// The Pod Security labels of the Namespaces in the workspace: from the scanned files on disk and from the text of
// the open documents, so that a Deployment is checked against its Namespace wherever that is defined, and a
// change of the label reaches every file.
import { AnalyzeOptions, mergePolicies, NamespacePolicies, namespacePoliciesIn, withNamespacePolicies } from '../engine';

export class NamespaceIndex {
  private readonly byUri = new Map<string, NamespacePolicies>();
  private merged: NamespacePolicies = {};
  /** The options with the namespaces added, one object per configuration while the namespaces stay the same. */
  private withPolicies = new WeakMap<AnalyzeOptions, AnalyzeOptions>();

  /** Records the Namespaces of a file's text (undefined: the file is gone); returns true when that changed what the index says. */
  update(uri: string, text: string | undefined): boolean {
    const found = text === undefined ? {} : namespacePoliciesIn(text, uri);
    const had = this.byUri.get(uri) ?? {};
    if (JSON.stringify(found) === JSON.stringify(had)) return false;
    if (Object.keys(found).length) this.byUri.set(uri, found); else this.byUri.delete(uri);
    this.merged = mergePolicies([...this.byUri.values()]);
    this.withPolicies = new WeakMap();
    return true;
  }

  options(options: AnalyzeOptions): AnalyzeOptions {
    let result = this.withPolicies.get(options);
    if (!result) this.withPolicies.set(options, result = withNamespacePolicies(options, this.merged));
    return result;
  }
}
