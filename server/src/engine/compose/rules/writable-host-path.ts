// A bind mount is Compose's hostPath: mounted read-write, what the service writes lands on the host. The Docker
// socket is worse whatever the mode: whoever can talk to the daemon can start a privileged container with the
// host's root filesystem mounted (https://docs.docker.com/engine/security/#docker-daemon-attack-surface).
import { isMap, isSeq, Node, Scalar } from 'yaml';
import { findPair } from '../../yamlNodes';
import { writableHostPath } from '../../rules/writable-host-path';
import { fixOf, offered } from '../../fixes/containerFixes';
import { Unfixable, YamlEditor } from '../../fixes/yamlEdits';
import { FixSpec, OffsetEdit } from '../../rule';
import { serviceLabel } from '../model';
import { fileEditor } from '../fixes';
import { isDockerSocket, serviceMounts, ServiceMount } from '../volumes';
import { ServiceRule } from '../serviceRule';

/** `:ro` added to a short-syntax mount (`rw` in its mode becomes `ro`), or `read_only: true` in long syntax. */
function readOnlyFix(mount: ServiceMount): FixSpec | undefined {
  const { editor, tag } = fileEditor(mount.field.file);
  const node = mount.node;
  if (isMap(node)) return fixOf('Set read_only: true on the bind mount', () => tag(editor.merge(node, { read_only: true })), true);
  return fixOf('Add :ro to the bind mount', () => tag(editRoMode(editor, mount, node)), true);
}

/** The edit that makes a short-syntax mount's mode read-only. */
function editRoMode(editor: YamlEditor, mount: ServiceMount, node: Scalar): OffsetEdit[] {
  const source = editor.text.slice(node.range![0], node.range![1]);
  const quoted = /^["']/.test(source);
  const value = String(node.value);
  if (source.slice(quoted ? 1 : 0, quoted ? -1 : undefined) !== value) throw new Unfixable('a scalar with escapes');
  const offset = quoted ? 1 : 0;
  const colons = value.replace(/^[A-Za-z]:[\\/]/, '__').split(':');
  if (colons.length < 3) return [editor.editScalar(node, offset + value.length, offset + value.length, ':ro')];
  const modeStart = value.lastIndexOf(':') + 1;
  const mode = value.slice(modeStart).split(',');
  const rw = mode.indexOf('rw');
  const next = rw >= 0 ? mode.map(option => (option === 'rw' ? 'ro' : option)) : [...mode.filter(Boolean), 'ro'];
  // A plain scalar in a flow sequence ends at a comma.
  if (next.length > 1 && !quoted && isSeq(mount.field.value) && mount.field.value.flow) throw new Unfixable('a comma in a plain flow scalar');
  return [editor.editScalar(node, offset + modeStart, offset + value.length, next.join(','))];
}

export const writableHostPathService: ServiceRule = {
  rule: writableHostPath,
  checkService(service, context) {
    const who = serviceLabel(service);
    for (const mount of serviceMounts(service)) {
      if (mount.kind !== 'bind') continue;
      if (isDockerSocket(mount)) {
        context.report({ messageId: 'docker-socket',
          at: mount.node,
          severity: 'error',
          message: `${who} mounts the Docker socket (${mount.source}): whoever can talk to the daemon can start a privileged container with the `
            + 'host\'s root filesystem mounted, so the service is root on the host, read-only mount or not. Remove the mount, or put a proxy '
            + 'that allows only the calls it needs in front of the socket.',
        });
        continue;
      }
      if (mount.readOnly !== false) continue;
      const at = mount.target ? ` at ${mount.target}` : '';
      context.report({ messageId: 'read-write',
        at: isMap(mount.node) ? findPair(mount.node, 'source')?.value as Node ?? mount.node : mount.node,
        message: `${who} bind-mounts ${mount.source ?? 'a host path'} from the host read-write${at}: what it writes there lands on the host, outlives `
          + 'the container and a rollback, and is seen by whatever mounts that path next. Add :ro to the mount (read_only: true in long syntax), '
          + 'and use a tmpfs or a named volume for data the app must write.',
        fixes: () => offered([readOnlyFix(mount)]),
      });
    }
  },
};
