// Commands that strip write permission from the filesystem at start-up to imitate an immutable container.
// The kernel-enforced equivalent is securityContext.readOnlyRootFilesystem: true; a chmod is undone by any
// process running as root or as the owner, and leaves the image's files writable until it has run.
import { docsUrl, EngineOptions, FixSpec, messagesOf, Rule } from '../rule';
import { Container } from '../workloads';
import { ChmodHackSite, chmodHackSites } from '../chmodCommands';
import { isUnder, uncoveredPaths, volumeNames } from '../volumes';
import { changeEdits, fixOf, merged, missingWritePaths, offered, pathList, preparedByInitContainer, readOnlyRootWithWritePaths, steps } from '../fixes/containerFixes';
import { chmodRemoval } from '../fixes/chmodRemoval';
import { containerLabel } from '../messages';

const id = 'chmod-immutability-hack';

/**
 * Remove the chmod and make the root read-only (with emptyDir volumes where the image is known to write). When
 * the chmod targets a directory, an alternative also serves it read-only from a copy an init container makes.
 */
function fixes(container: Container, site: ChmodHackSite, text: string, options: EngineOptions): FixSpec[] {
  const writePaths = missingWritePaths(container, options).map(entry => entry.path);
  const title = steps([
    'Remove the chmod',
    ...(container.effective.readOnlyRootFilesystem?.value === true ? [] : ['set readOnlyRootFilesystem: true']),
    ...(writePaths.length ? [`mount emptyDir volumes at ${pathList(writePaths)}`] : []),
  ]);
  const change = (taken: Set<string>) => merged(
    { container: {}, pod: {}, removed: chmodRemoval(container, text, site) },
    readOnlyRootWithWritePaths(container, options, taken),
  );
  const directories = uncoveredPaths(container, [...new Set(site.calls.flatMap(call => call.targets))])
    .filter(target => target.startsWith('/') && target !== '/' && !writePaths.some(path => isUnder(path, target) || isUnder(target, path)));
  return offered([
    fixOf(title, () => changeEdits(container, text, change(volumeNames(container.pod))), true),
    ...directories.map(directory => fixOf(`${title}, and serve ${directory} read-only from a copy an init container makes`, () => {
      const taken = volumeNames(container.pod);
      return changeEdits(container, text, merged(change(taken), preparedByInitContainer(container, directory, true, taken)));
    })),
  ]);
}

export const chmodImmutabilityHack: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'A command, hook or probe that removes write permission recursively to fake an immutable filesystem.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, { 'chmod-read-only': 'A command, hook or probe removes write permission recursively to fake a read-only filesystem.' }),
  },
  checkContainer(container, context) {
    for (const site of chmodHackSites(container)) {
      const first = site.nodes[0].range!;
      const last = site.nodes[site.nodes.length - 1].range!;
      const call = site.calls[0];
      context.report({
        at: [first[0], last[1]],
        messageId: 'chmod-read-only',
        container,
        message: `${containerLabel(container)} runs \`${call.text}\` in its ${site.label} to make its filesystem read-only: `
          + 'the files stay writable until it runs, and any process running as root or as the owner can undo it. '
          + 'Set securityContext.readOnlyRootFilesystem: true instead, which the kernel enforces, and remove the chmod.',
        fixes: () => fixes(container, site, context.text, context.options),
      });
    }
  },
};
