// `npm run bench:kustomize`: the Kustomize figures of the benchmark alone.
import { benchKustomize } from './kustomize';

benchKustomize().then(() => process.exit(0), error => { console.error(error); process.exit(1); });
