// How a rule checks a Compose service: beside the rule's Kubernetes checks, under the same id, severity and
// configuration, with the rule's knowledge (image write paths, root images, capabilities) shared, not copied.
import { Rule, RuleContext } from '../rule';
import { ComposeService } from './model';

export interface ServiceRule {
  /** The rule whose id, metadata and severity the Compose check reports under. */
  rule: Rule;
  checkService(service: ComposeService, context: RuleContext): void;
}
