// `npm run bench:cli`: the CLI figures of the benchmark alone.
import { benchCli } from './cli';

benchCli();
