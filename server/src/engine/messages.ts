import { Container } from './workloads';

const LIST_LABEL = { containers: 'Container', initContainers: 'Init container', ephemeralContainers: 'Ephemeral container' } as const;

/** `Container "web"`, `Init container "setup"`, or `Container #2` when it has no name. */
export function containerLabel(container: Container): string {
  const label = LIST_LABEL[container.list];
  return container.name ? `${label} "${container.name}"` : `${label} #${container.index + 1}`;
}
