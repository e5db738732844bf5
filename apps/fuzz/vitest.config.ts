import { tskernVitestConfig } from '@tskern/vitest-config';

export default tskernVitestConfig({ testTimeout: 30_000 });
