import { libraryConfig } from '@tskern/tsup-config';

// The library and its Node-only entry (src/node.ts).
export default libraryConfig(['src/index.ts', 'src/node.ts']);
