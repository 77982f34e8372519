// A hostPath volume mounted read-write lets the container write to the node: files that outlive the pod,
// survive a rollback and reach the next pod scheduled there, the opposite of an immutable container.
import { docsUrl, messagesOf, Rule } from '../rule';
import { containerLabel } from '../messages';
import { Container } from '../workloads';
import { podVolumes, Volume, volumeMounts, VolumeMount } from '../volumes';
import { offered } from '../fixes/containerFixes';
import { readOnlyMountFix } from '../fixes/hardeningFixes';

const id = 'writable-host-path';

export interface WritableHostMount { mount: VolumeMount; volume: Volume }

/** The container's mounts of hostPath volumes that are not read-only. */
export function writableHostMounts(container: Container): WritableHostMount[] {
  const volumes = podVolumes(container.pod);
  return volumeMounts(container).flatMap(mount => {
    const volume = volumes.get(mount.name);
    return volume?.hostPathPair && !mount.readOnly ? [{ mount, volume }] : [];
  });
}

export const writableHostPath: Rule = {
  meta: {
    id,
    defaultSeverity: 'warning',
    description: 'hostPath volumes are mounted read-only, so a container cannot change the node it runs on.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, {
      'read-write': 'A hostPath volume is mounted without readOnly: true (in Compose: a bind mount without :ro).',
      'docker-socket': 'A Compose service mounts the Docker socket, which is root on the host.',
    }),
  },
  checkContainer(container, context) {
    for (const { mount, volume } of writableHostMounts(container)) {
      const hostPath = volume.hostPath ? ` (${volume.hostPath} on the node)` : '';
      const at = mount.mountPath ? ` at ${mount.mountPath}` : '';
      context.report({
        at: mount.readOnlyValue ?? mount.namePair,
        messageId: 'read-write',
        container,
        related: [{ at: volume.hostPathPair!.key, message: `The hostPath volume "${volume.name}".` }],
        message: `${containerLabel(container)} mounts the hostPath volume "${volume.name}"${hostPath} read-write${at}: what it writes there `
          + 'lands on the node, outlives the pod and a rollback, and is seen by the next pod on that node. '
          + 'Set readOnly: true on the volumeMount, and use an emptyDir volume for data the app must write.',
        fixes: () => offered([readOnlyMountFix(container, context.text, mount.node)]),
      });
    }
  },
};
