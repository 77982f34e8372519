// `npm run bench:editor-scale`: the figures of the editor on large streams alone.
import { benchEditorScale } from './editorScale';

benchEditorScale().then(() => process.exit(0), error => { console.error(error); process.exit(1); });
