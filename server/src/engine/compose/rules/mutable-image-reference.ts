// An image by tag moves with every push, on a host as in a cluster; only a digest pins what `docker compose up` pulls.
import { familiarName } from '../../imageReference';
import { imageProblemOf, mutableImageReference } from '../../rules/mutable-image-reference';
import { serviceField, serviceLabel } from '../model';
import { ServiceRule } from '../serviceRule';

export const mutableImageReferenceService: ServiceRule = {
  rule: mutableImageReference,
  checkService(service, context) {
    if (!service.image) return;
    const field = serviceField(service, 'image')!;
    const problem = imageProblemOf(field.value, field.file.text);
    if (!problem) return;
    // Offsets into the file that writes the image, which may be another file of the project than the service's.
    const file = field.file.path;
    const who = serviceLabel(service);
    const name = familiarName(problem.reference);
    if (problem.kind === 'tag-only') {
      context.report({ messageId: 'tag-only',
        at: problem.tagSpan ?? problem.imageSpan,
        file,
        severity: 'hint',
        message: `${who} pins ${name} by the tag ${problem.reference.tag} only: a tag can be pushed again, so the image can still change. `
          + 'Add its digest (@sha256:...) to pin the exact image.',
      });
      return;
    }
    const stated = problem.kind === 'latest' ? `uses the image ${name} with the tag latest` : `uses the image ${name} without a tag, which means latest`;
    context.report({ messageId: problem.kind === 'latest' ? 'latest' : 'no-tag',
      at: problem.kind === 'latest' && problem.tagSpan ? problem.tagSpan : problem.imageSpan,
      file,
      message: `${who} ${stated}: latest moves with every push, so two hosts (or two runs of docker compose pull) can run different code and a `
        + 'rollback brings back nothing. Reference a version tag, or better a digest (@sha256:...).',
    });
  },
};
