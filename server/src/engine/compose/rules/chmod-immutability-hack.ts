// The chmod hack in a service's `command`, `entrypoint` or `healthcheck.test`: `read_only: true` is what the
// kernel enforces instead.
import { isMap, isScalar, isSeq, Node, Scalar } from 'yaml';
import { ChmodCall, ChmodHackSite, findChmodHacks } from '../../chmodCommands';
import { chmodImmutabilityHack } from '../../rules/chmod-immutability-hack';
import { segmentRemovals } from '../../fixes/chmodRemoval';
import { fixOf, offered, pathList, steps } from '../../fixes/containerFixes';
import { Unfixable } from '../../fixes/yamlEdits';
import { EngineOptions, FixSpec } from '../../rule';
import { deref, findPair } from '../../yamlNodes';
import { ComposeFile, ComposeService, literalString, serviceField, serviceFields, serviceLabel } from '../model';
import { uncoveredServicePaths } from '../volumes';
import { fileEditor, missingServiceWritePaths, readOnlyWithTmpfs, serviceChangeEdits } from '../fixes';
import { ServiceRule } from '../serviceRule';

/** The command lines a service runs: `command`, `entrypoint` and its healthcheck's `test` (the nearest of each). */
function commandValues(service: ComposeService): { label: string; value: unknown; file: ComposeFile }[] {
  const healthcheck = serviceFields(service, 'healthcheck').find(field => isMap(field.value) && findPair(field.value, 'test'));
  const field = (label: string) => {
    const found = serviceField(service, label);
    return found ? [{ label, value: found.value, file: found.file }] : [];
  };
  return [
    ...field('command'),
    ...field('entrypoint'),
    ...(healthcheck ? [{ label: 'healthcheck', value: deref(findPair(healthcheck.value, 'test')!.value, healthcheck.file.doc), file: healthcheck.file }] : []),
  ];
}

/** Where a service runs a chmod hack on its root filesystem: one argument holding it, or the exec-form run of arguments. */
/** A chmod hack of a service, in the file that writes it. */
type ServiceChmodSite = ChmodHackSite & { file: ComposeFile };

function serviceChmodSites(service: ComposeService): ServiceChmodSite[] {
  const onRootFs = (call: ChmodCall) => uncoveredServicePaths(service, call.targets).length > 0;
  const sites: ServiceChmodSite[] = [];
  for (const { label, value, file } of commandValues(service)) {
    const items = (isSeq(value) ? value.items.map(item => deref(item, file.doc)) : [value]).filter((item): item is Scalar => isScalar(item));
    const single = items.flatMap(node => {
      const calls = findChmodHacks(literalString(node) ?? '').filter(onRootFs);
      return calls.length ? [{ label, owner: [] as [], items, nodes: [node as Node], calls, file }] : [];
    });
    if (single.length) { sites.push(...single); continue; }
    const words = items.map(node => literalString(node) ?? '');
    const start = words.findIndex(word => word === 'chmod' || word.endsWith('/chmod'));
    if (start < 0) continue;
    const calls = findChmodHacks(words.slice(start).join(' ')).filter(onRootFs);
    if (calls.length) sites.push({ label, owner: [], items, nodes: items.slice(start), calls, file });
  }
  return sites;
}

/** Remove the chmod and make the root read-only, with tmpfs where the image is known to write; only a chmod inside a longer shell line can go. */
function fixes(service: ComposeService, site: ServiceChmodSite, options: EngineOptions): FixSpec[] {
  const readOnly = serviceField(service, 'read_only');
  const paths = missingServiceWritePaths(service, options).map(entry => entry.path);
  const title = steps([
    'Remove the chmod',
    ...(isScalar(readOnly?.value) && readOnly.value.value === true ? [] : ['set read_only: true']),
    ...(paths.length ? [`mount tmpfs at ${pathList(paths)}`] : []),
  ]);
  return offered([fixOf(title, () => {
    const node = site.nodes[0];
    const { editor, tag } = fileEditor(site.file);
    const removed = site.nodes.length === 1 && isScalar(node) ? segmentRemovals(editor, node, site) : undefined;
    if (!removed) throw new Unfixable('the chmod is the whole command');
    // A string that wraps its script in quotes (`sh -c "chmod ... && exec app"`) is cut at the separators of the
    // script, so a removal would take a quote with it and leave the other: no fix rather than a broken command.
    if (removed.some(edit => !quotesBalanced(editor.text.slice(edit.start, edit.end)))) throw new Unfixable('the chmod is inside a quoted script');
    return serviceChangeEdits(service, { ...readOnlyWithTmpfs(service, options), removed: tag(removed) });
  }, true)]);
}

/** Does the text close every quote it opens, as a shell reads quotes (`\\` escapes outside single quotes)? */
function quotesBalanced(text: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && quote !== "'") i++;
    else if (quote ? char === quote : char === '"' || char === "'") quote = quote ? undefined : char;
  }
  return quote === undefined;
}

export const chmodImmutabilityHackService: ServiceRule = {
  rule: chmodImmutabilityHack,
  checkService(service, context) {
    for (const site of serviceChmodSites(service)) {
      const first = site.nodes[0].range!;
      const last = site.nodes[site.nodes.length - 1].range!;
      context.report({ messageId: 'chmod-read-only',
        at: [first[0], last[1]],
        file: site.file.path,
        message: `${serviceLabel(service)} runs \`${site.calls[0].text}\` in its ${site.label} to make its filesystem read-only: `
          + 'the files stay writable until it runs, and any process running as root or as the owner can undo it. '
          + 'Set read_only: true instead, which the kernel enforces, and remove the chmod.',
        fixes: () => fixes(service, site, context.options),
      });
    }
  },
};
