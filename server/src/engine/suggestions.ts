// A rule may lower one finding to a hint (a weaker form of its problem, such as an image pinned by tag but
// not by digest). The editor shows such hints as suggestions; a CI run reports problems, so it leaves them out.
import { AnalyzeOptions, severityOf } from './analyze';
import { Finding } from './types';

/** A hint its rule chose below the configured severity; a rule configured as `hint` still reports everything. */
export function isSuggestion(finding: Pick<Finding, 'severity' | 'rule'>, options: AnalyzeOptions): boolean {
  return finding.severity === 'hint' && severityOf(finding.rule, options) !== 'hint';
}
