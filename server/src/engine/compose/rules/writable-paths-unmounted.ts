// A read-only service whose image writes to paths at start-up needs a tmpfs (or a volume) there, or it crashes.
import { isScalar } from 'yaml';
import { familiarName, parseImageReference } from '../../imageReference';
import { writablePathsUnmounted } from '../../rules/writable-paths-unmounted';
import { fixOf, offered, pathList } from '../../fixes/containerFixes';
import { serviceField, serviceLabel } from '../model';
import { missingServiceWritePaths, serviceChangeEdits } from '../fixes';
import { ServiceRule } from '../serviceRule';

export const writablePathsUnmountedService: ServiceRule = {
  rule: writablePathsUnmounted,
  checkService(service, context) {
    const readOnly = serviceField(service, 'read_only');
    if (!isScalar(readOnly?.value) || readOnly.value.value !== true || service.partial) return;
    const paths = missingServiceWritePaths(service, context.options);
    if (!paths.length) return;
    const ref = parseImageReference(service.image!);
    const image = serviceField(service, 'image')!;
    const details = paths.map(entry => `${entry.path} (${entry.reason})`).join('; ');
    const list = paths.map(entry => entry.path);
    context.report({ messageId: 'unmounted-write-paths',
      at: image.value ?? image.pair,
      related: [{ at: readOnly.value, message: 'The root filesystem is made read-only here.' }],
      message: `${serviceLabel(service)} runs ${ref ? familiarName(ref) : service.image} with a read-only root filesystem, but no tmpfs or volume is `
        + `mounted where it writes: ${details}. It will fail when it writes there. Mount a tmpfs at ${paths.length === 1 ? 'this path' : 'each of these paths'}, `
        + 'or a named volume where the data must outlive the container.',
      fixes: () => offered([fixOf(`Mount tmpfs at ${pathList(list)}`, () => serviceChangeEdits(service, { set: { tmpfs: list } }), true)]),
    });
  },
};
