// `kube-immutable render <chart-dir|chart.tgz> [flags]`: prints what `helm template` prints for the same flags.
import { SourceFileSystem } from '../origin';
import { Gunzip } from './archive';
import { helmFunctions } from './functions';
import { RenderChartOptions, renderChart } from './render';

export const RENDER_CHART_USAGE = `Usage: kube-immutable render <chart-dir|chart.tgz> [flags]

Renders a Helm chart as \`helm template\` does, in-process.

Flags:
  --release-name <name>     the release name (default: release-name)
  --name-template <tpl>     a template for the release name
  --namespace, -n <ns>      the release namespace (default: default)
  --values, -f <file>       a values file (repeatable; later files win)
  --set <key=value>         set values (repeatable; typed as Helm types them)
  --set-string <key=value>  set values as strings (repeatable)
  --kube-version <v>        the Kubernetes version templates see (default: ${'v1.32.0'})
  --api-versions <v>        API versions templates see besides the built-in ones (repeatable)
  --show-only <path>        only the manifests of matching templates, e.g. templates/deployment.yaml (repeatable)
  --include-crds            print the charts' crds/ too
  --skip-tests              leave out test hooks
  --no-hooks                leave out all hooks
  --debug                   print the rendered files even when one is not YAML`;

export interface RenderIo {
  fs: SourceFileSystem;
  gunzip: Gunzip;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Parses the flags after `render`; returns the exit status (0 rendered, 1 Helm would fail, 2 usage). */
export function runRenderChart(args: string[], io: RenderIo): number {
  const options: RenderChartOptions = { set: [], valuesFiles: [], apiVersions: [], showOnly: [], gunzip: io.gunzip, sourceMap: false };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      if (i + 1 >= args.length) throw new UsageError(`${name} needs a value`);
      return args[++i];
    };
    switch (name) {
      case '--release-name': options.releaseName = value(); break;
      case '--name-template': options.nameTemplate = value(); break;
      case '--namespace': case '-n': options.namespace = value(); break;
      case '--values': case '-f': options.valuesFiles!.push(...value().split(',')); break;
      case '--set': options.set!.push({ argument: value() }); break;
      case '--set-string': options.set!.push({ argument: value(), strings: true }); break;
      case '--kube-version': options.kubeVersion = value(); break;
      case '--api-versions': case '-a': options.apiVersions!.push(value()); break;
      case '--show-only': case '-s': options.showOnly!.push(value()); break;
      case '--include-crds': options.includeCrds = true; break;
      case '--skip-tests': options.skipTests = true; break;
      case '--no-hooks': options.noHooks = true; break;
      case '--debug': options.debug = true; break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown flag ${arg}`);
        positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? `one chart, not ${positional.length} arguments` : 'no chart given');
  const rendered = renderChart(positional[0], io.fs, helmFunctions(), options);
  io.stdout(rendered.manifest);
  if (rendered.error !== undefined) { io.stderr(`Error: ${rendered.error}\n`); return 1; }
  return 0;
}

export class UsageError extends Error {}
