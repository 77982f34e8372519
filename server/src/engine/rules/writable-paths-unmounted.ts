// A read-only root filesystem stops an image that writes to its own filesystem at start-up: the paths it is
// known to write (knowledge/imageWritePaths.ts, plus the user's own) need a volume, or the container crashes.
import { isScalar } from 'yaml';
import { docsUrl, FixSpec, messagesOf, Rule } from '../rule';
import { familiarName, parseImageReference } from '../imageReference';
import { containerLabel } from '../messages';
import { Container, containerAnchor } from '../workloads';
import { findPair } from '../yamlNodes';
import { changeEdits, emptyDirs, fixOf, merged, missingWritePaths, offeredInTurn, pathList, preparedByInitContainer } from '../fixes/containerFixes';
import { volumeNames } from '../volumes';

const id = 'writable-paths-unmounted';

/**
 * emptyDir volumes at every missing path (preferred); or the same with one of them filled by an init container
 * with what the image ships there, for a path whose files the app needs (configuration it also writes to).
 */
function fixes(container: Container, paths: string[], text: string, untilPreferred?: boolean): FixSpec[] {
  const mount = paths.length === 1 ? `Mount an emptyDir volume at ${paths[0]}` : `Mount emptyDir volumes at ${pathList(paths)}`;
  return offeredInTurn([
    () => fixOf(mount, () => changeEdits(container, text, emptyDirs(container, paths)), true),
    ...paths.map(path => () => fixOf(`${mount}, ${paths.length === 1 ? 'filled' : `the one at ${path} filled`} by an init container with the image's files there`, () => {
      const taken = volumeNames(container.pod);
      return changeEdits(container, text, merged(...paths.map(each => (each === path
        ? preparedByInitContainer(container, each, false, taken)
        : emptyDirs(container, [each], taken)))));
    })),
  ], untilPreferred);
}

/** An init container with its own command runs a helper (a copy, a chown), not the program the paths are known for. */
function runsHelperCommand(container: Container): boolean {
  return container.list === 'initContainers' && !!findPair(container.node, 'command');
}

export const writablePathsUnmounted: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'A container with a read-only root filesystem whose image is known to write to paths that no volume covers.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, { 'unmounted-write-paths': 'The root filesystem is read-only and the image writes to paths that no volume covers.' }),
  },
  checkContainer(container, context) {
    const readOnly = container.effective.readOnlyRootFilesystem;
    if (readOnly?.value !== true || runsHelperCommand(container)) return;
    const paths = missingWritePaths(container, context.options);
    if (!paths.length) return;
    const ref = parseImageReference(container.image!);
    const image = ref ? familiarName(ref) : container.image;
    const imagePair = findPair(container.node, 'image');
    const details = paths.map(entry => `${entry.path} (${entry.reason})`).join('; ');
    context.report({
      at: isScalar(imagePair?.value) ? imagePair.value : containerAnchor(container),
      messageId: 'unmounted-write-paths',
      container,
      related: [{ at: readOnly.node ?? readOnly.pair, message: 'The root filesystem is made read-only here.' }],
      message: `${containerLabel(container)} runs ${image} with a read-only root filesystem, but no volume is mounted where it writes: ${details}. `
        + `It will fail when it writes there. Mount an emptyDir volume at ${paths.length === 1 ? 'this path' : 'each of these paths'}.`,
      fixes: untilPreferred => fixes(container, paths.map(entry => entry.path), context.text, untilPreferred),
    });
  },
};
