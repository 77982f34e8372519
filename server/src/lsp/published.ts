// What the editor publishes of an analysis. A stream of 40,000 unhardened Deployments has 160,000 findings: a
// message that size takes the client seconds to read, and no Problems panel is of use with it. So the first
// ones in file order are published, with a note of how many more there are (the CLI lists them all); and while
// a large stream is still analysed, what was found so far, with a note that the rest follows.
import { ANALYSIS_LIMIT_RULE, AnalysisResult, Finding, Position } from '../engine';

/** The default of `kubeImmutable.maxProblemsPerFile`. */
export const DEFAULT_MAX_PROBLEMS_PER_FILE = 1000;

export const TOO_MANY_PROBLEMS = `${ANALYSIS_LIMIT_RULE}/too-many-problems`;
export const IN_PROGRESS = `${ANALYSIS_LIMIT_RULE}/in-progress`;

export const PUBLISHED_MESSAGES = {
  tooManyProblems: (shown: number, more: number) => `Only the first ${shown} problems of this file are shown: ${more} more were found. `
    + 'The kube-immutable CLI lists them all; the setting kubeImmutable.maxProblemsPerFile sets how many the editor shows.',
  inProgress: (documents: number) => `The first ${documents} documents of this file are analysed; the problems of the rest follow.`,
};

/**
 * At most `max` findings of `result`, the first in file order, then one information finding at the end of the
 * last analysed document that says how many more there are (those past `max` and those the analysis did not
 * list), when there are; and another there that says the analysis goes on, when the result is of the first
 * documents only (`complete` false).
 */
export function publishedFindings(result: AnalysisResult, max: number, complete: boolean): Finding[] {
  const notes: Finding[] = [];
  const note = (messageId: string, message: string): Finding => {
    const last = result.documents[result.documents.length - 1];
    const end: Position = last?.range.end ?? { line: 0, character: 0 };
    return { rule: ANALYSIS_LIMIT_RULE, messageId, severity: 'info', documentIndex: last?.index ?? 0, message, range: { start: end, end } };
  };
  const shown = Math.min(result.findings.length, max);
  const more = result.findings.length - shown + (result.unlisted ?? 0);
  if (more) notes.push(note(TOO_MANY_PROBLEMS, PUBLISHED_MESSAGES.tooManyProblems(shown, more)));
  if (!complete) notes.push(note(IN_PROGRESS, PUBLISHED_MESSAGES.inProgress(result.documents.length)));
  if (!notes.length) return result.findings;
  return [...(shown < result.findings.length ? result.findings.slice(0, shown) : result.findings), ...notes];
}
