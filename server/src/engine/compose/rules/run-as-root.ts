// `user:` is Compose's runAsUser and runAsGroup in one (`uid[:gid]` or names); without it the image's user runs.
// No fix: the UID a service can run as is the image's to say, and Compose has no runAsNonRoot to check it.
import { runAsRoot } from '../../rules/run-as-root';
import { namedUserImageFor, rootImageFor } from '../../knowledge/rootImages';
import { literalString, missingKeyAt, serviceField, serviceLabel } from '../model';
import { ServiceRule } from '../serviceRule';

const ROOT_WHY = 'root owns the image\'s files, so one exploited process can rewrite them';
const FIX = 'Set user: to a non-root UID (and GID) that the image supports.';

export const runAsRootService: ServiceRule = {
  rule: runAsRoot,
  checkService(service, context) {
    const who = serviceLabel(service);
    const field = serviceField(service, 'user');
    if (field) {
      const user = literalString(field.value);
      if (user === undefined) return;
      const [name, group] = user.split(':');
      if (name === 'root' || name === '0') {
        context.report({ messageId: 'uid-zero', at: field.value!, message: `${who} sets user: ${user}: it runs as root: ${ROOT_WHY}. ${FIX}` });
      } else if (group === 'root' || group === '0') {
        context.report({ messageId: 'gid-zero',
          at: field.value!,
          message: `${who} sets user: ${user}: its processes get the root group, which can write every file the image leaves group-writable. Set a non-zero GID.`,
        });
      }
      return;
    }
    if (service.partial) return;
    // An image whose Dockerfile names a non-root user does not run as root without `user:`.
    if (service.image && namedUserImageFor(service.image)) return;
    const rootImage = service.image ? rootImageFor(service.image) : undefined;
    const imageNote = rootImage
      ? ` ${service.image} runs as root (no USER in its Dockerfile): switch to a variant built for a non-root user first.`
      : '';
    context.report({ messageId: 'not-set',
      at: missingKeyAt(service, 'user'),
      message: `${who} does not set user: it runs as the image's user, root unless the image names another, and ${ROOT_WHY}. ${FIX}${imageNote}`,
    });
  },
};
