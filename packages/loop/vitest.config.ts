import { tskernVitestConfig } from '@tskern/vitest-config';

export default tskernVitestConfig();
