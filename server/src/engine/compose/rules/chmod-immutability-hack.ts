// The chmod hack in a service's `command`, `entrypoint` or `healthcheck.test`: `read_only: true` is what the
// kernel enforces instead.
import { isMap, isScalar, isSeq, Node, Scalar } from 'yaml';
import { ChmodCall, ChmodHackSite, findChmodHacks } from '../../chmodCommands';
import { chmodImmutabilityHack } from '../../rules/chmod-immutability-hack';
import { segmentRemovals } from '../../fixes/chmodRemoval';
import { fixOf, offered, pathList, steps } from '../../fixes/containerFixes';
import { editorFor, Unfixable } from '../../fixes/yamlEdits';
import { EngineOptions, FixSpec } from '../../rule';
import { deref, findPair } from '../../yamlNodes';
import { ComposeService, literalString, serviceField, serviceFields, serviceLabel } from '../model';
import { uncoveredServicePaths } from '../volumes';
import { missingServiceWritePaths, readOnlyWithTmpfs, serviceChangeEdits } from '../fixes';
import { ServiceRule } from '../serviceRule';

/** The command lines a service runs: `command`, `entrypoint` and its healthcheck's `test` (the nearest of each). */
function commandValues(service: ComposeService): { label: string; value: unknown }[] {
  const { doc } = service.file;
  const healthcheck = serviceFields(service, 'healthcheck').find(field => isMap(field.value) && findPair(field.value, 'test'));
  return [
    { label: 'command', value: serviceField(service, 'command')?.value },
    { label: 'entrypoint', value: serviceField(service, 'entrypoint')?.value },
    { label: 'healthcheck', value: healthcheck && deref(findPair(healthcheck.value, 'test')!.value, doc) },
  ];
}

/** Where a service runs a chmod hack on its root filesystem: one argument holding it, or the exec-form run of arguments. */
function serviceChmodSites(service: ComposeService): ChmodHackSite[] {
  const onRootFs = (call: ChmodCall) => uncoveredServicePaths(service, call.targets).length > 0;
  const sites: ChmodHackSite[] = [];
  for (const { label, value } of commandValues(service)) {
    const items = (isSeq(value) ? value.items.map(item => deref(item, service.file.doc)) : [value]).filter((item): item is Scalar => isScalar(item));
    const single = items.flatMap(node => {
      const calls = findChmodHacks(literalString(node) ?? '').filter(onRootFs);
      return calls.length ? [{ label, owner: [] as [], items, nodes: [node as Node], calls }] : [];
    });
    if (single.length) { sites.push(...single); continue; }
    const words = items.map(node => literalString(node) ?? '');
    const start = words.findIndex(word => word === 'chmod' || word.endsWith('/chmod'));
    if (start < 0) continue;
    const calls = findChmodHacks(words.slice(start).join(' ')).filter(onRootFs);
    if (calls.length) sites.push({ label, owner: [], items, nodes: items.slice(start), calls });
  }
  return sites;
}

/** Remove the chmod and make the root read-only, with tmpfs where the image is known to write; only a chmod inside a longer shell line can go. */
function fixes(service: ComposeService, site: ChmodHackSite, text: string, options: EngineOptions): FixSpec[] {
  const readOnly = serviceField(service, 'read_only');
  const paths = missingServiceWritePaths(service, options).map(entry => entry.path);
  const title = steps([
    'Remove the chmod',
    ...(isScalar(readOnly?.value) && readOnly.value.value === true ? [] : ['set read_only: true']),
    ...(paths.length ? [`mount tmpfs at ${pathList(paths)}`] : []),
  ]);
  return offered([fixOf(title, () => {
    const node = site.nodes[0];
    const removed = site.nodes.length === 1 && isScalar(node) ? segmentRemovals(editorFor(text, service.file.doc), node, site) : undefined;
    if (!removed) throw new Unfixable('the chmod is the whole command');
    return serviceChangeEdits(service, text, { ...readOnlyWithTmpfs(service, options), removed });
  }, true)]);
}

export const chmodImmutabilityHackService: ServiceRule = {
  rule: chmodImmutabilityHack,
  checkService(service, context) {
    for (const site of serviceChmodSites(service)) {
      const first = site.nodes[0].range!;
      const last = site.nodes[site.nodes.length - 1].range!;
      context.report({ messageId: 'chmod-read-only',
        at: [first[0], last[1]],
        message: `${serviceLabel(service)} runs \`${site.calls[0].text}\` in its ${site.label} to make its filesystem read-only: `
          + 'the files stay writable until it runs, and any process running as root or as the owner can undo it. '
          + 'Set read_only: true instead, which the kernel enforces, and remove the chmod.',
        fixes: () => fixes(service, site, context.text, context.options),
      });
    }
  },
};
