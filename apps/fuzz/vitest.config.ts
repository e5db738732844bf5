import { tskernVitestConfig } from '@tskern/vitest-config';
import { testTimeout } from '@tskern/vitest-config/budget';

// Fuzz tests run whole kernels with invariant checks: a deliberate 30 s per
// test (their work is budgeted, see @tskern/vitest-config/budget).
export default tskernVitestConfig({ testTimeout: testTimeout(30_000) });
