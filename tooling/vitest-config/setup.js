// Tests run with invariant checks on (see @tskern/assert).
globalThis.__TSKERN_CHECK_INVARIANTS__ = true;
