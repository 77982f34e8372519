// `read_only: true` is Compose's readOnlyRootFilesystem: the kernel then refuses every write to the image's files.
import { isScalar } from 'yaml';
import { EngineOptions, FixSpec } from '../../rule';
import { readonlyRootFilesystem } from '../../rules/readonly-root-filesystem';
import { fixOf, offered, pathList } from '../../fixes/containerFixes';
import { ComposeService, isInterpolated, missingKeyAt, serviceField, serviceLabel } from '../model';
import { hardenServiceFix, missingServiceWritePaths, readOnlyWithTmpfs, serviceChangeEdits } from '../fixes';
import { ServiceRule } from '../serviceRule';

/** read_only: true with tmpfs at the image's known write paths (preferred, as the bare setting would crash it); or harden. */
function fixes(service: ComposeService, options: EngineOptions): FixSpec[] {
  const paths = missingServiceWritePaths(service, options).map(entry => entry.path);
  return offered([
    paths.length ? fixOf(`Set read_only: true and mount tmpfs at ${pathList(paths)}`,
      () => serviceChangeEdits(service, readOnlyWithTmpfs(service, options)), true) : undefined,
    fixOf('Set read_only: true', () => serviceChangeEdits(service, { set: { read_only: true } }), !paths.length),
    hardenServiceFix(service, options),
  ]);
}

export const readonlyRootFilesystemService: ServiceRule = {
  rule: readonlyRootFilesystem,
  checkService(service, context) {
    const field = serviceField(service, 'read_only');
    const value = isScalar(field?.value) ? field.value.value : undefined;
    if (value === true || (typeof value === 'string' && isInterpolated(value)) || (!field && service.partial)) return;
    const stated = !field ? 'does not set read_only: true'
      : value === false ? 'sets read_only: false' : 'sets read_only to a value that is not the boolean true';
    context.report({ messageId: field ? 'set-false' : 'not-set',
      at: field ? field.value ?? field.pair : missingKeyAt(service, 'read_only'),
      message: `${serviceLabel(service)} ${stated}: anything in the container can then rewrite the image's files, and the running container `
        + 'drifts from its image. Set read_only: true and mount tmpfs at the paths the app must write.',
      fixes: () => fixes(service, context.options),
    });
  },
};
