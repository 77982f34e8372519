// What a rule is: its metadata beside one or more checks, each called on the part of a manifest it looks at.
import { Node, Pair } from 'yaml';
import { DocumentLimits } from './limits';
import { FixChange, RelatedLocation, RuleMeta, Severity } from './types';
import { NamespacePolicies } from './podSecurity/namespaces';
import { Container, KubeObject, PodSpec } from './workloads';

/** Where a finding or an edit sits: a node, a `key: value` pair, or [start, end) offsets in the parsed text. */
export type Target = Node | Pair | readonly [number, number];

/**
 * A text edit in offsets of the parsed text; the engine turns it into a line/character range. `changes` says
 * what it does to the parsed document (see FixChange): the YAML editor fills it for every edit it makes.
 */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
  changes?: FixChange[];
  /** The file it edits when a fix spans the files of a Compose project; undefined: the analysed text. */
  file?: string;
}

export interface FixSpec {
  title: string;
  edits: OffsetEdit[];
  /** Everything the edits change in the parsed document: a result that differs anywhere else is not offered. */
  changes: FixChange[];
  isPreferred?: boolean;
}

export interface Report {
  at: Target;
  /** The file `at` is in when it is offsets into a file of a Compose project other than the analysed text. */
  file?: string;
  /** The condition that failed, one of the keys of the rule's `meta.messages` without the rule's prefix. */
  messageId: string;
  message: string;
  container?: Container;
  /** Places in this document, or in another file (a Namespace's label). */
  related?: ({ at: Target; message: string } | Required<RelatedLocation>)[];
  /** Overrides the configured severity for this one finding (e.g. a hint for a weaker form of the problem). */
  severity?: Severity;
  /**
   * The fixes, in the order they are offered. `untilPreferred`: only the first preferred one is read (a plan, see
   * FixDemand `planned`), so the fixes after it may be left out.
   */
  fixes?: (untilPreferred?: boolean) => FixSpec[];
  unnecessary?: boolean;
}

export interface RuleContext {
  /** The text the document was parsed from (one chunk of the stream). */
  text: string;
  options: EngineOptions;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  checkObject?(object: KubeObject, context: RuleContext): void;
  checkPod?(pod: PodSpec, context: RuleContext): void;
  checkContainer?(container: Container, context: RuleContext): void;
}

/** Settings that change what rules find (not just how findings are shown). */
export interface EngineOptions {
  /** Extra write paths per image repository, added to the built-in knowledge. */
  imageWritePaths?: Record<string, string[]>;
  /** Images whose containers are not checked. */
  exemptImages?: string[];
  /** What one document may cost (the editor sets these; without them every document is analysed in full). */
  limits?: DocumentLimits;
  /** Honour kube-linter's, Polaris' and Checkov's suppression annotations for the matching rules (default true). */
  peerAnnotations?: boolean;
  /** The Pod Security Standard each namespace applies, from the Namespaces the host found and the configuration. */
  podSecurity?: NamespacePolicies;
}

export const DOCS_BASE = 'https://github.com/kube-immutable/kube-immutable/blob/main/docs/rules/';

/** A rule's `meta.messages` from its conditions: each key gets the rule's id as prefix. */
export function messagesOf(id: string, conditions: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(conditions).map(([condition, meaning]) => [`${id}/${condition}`, meaning]));
}

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}
