import type { Options } from 'tsup';

/** The build of the entries `entry` (default: the package's `src/index.ts`). */
export declare function libraryConfig(entry?: string[]): Options & { entry: string[] };

/** The build of a package whose one entry is `src/index.ts`. */
declare const config: Options;
export default config;
