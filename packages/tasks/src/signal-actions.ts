/**
 * The signal actions of a task (Linux's `struct sighand_struct`), shared by
 * CLONE_SIGHAND and copied otherwise. The task model only needs their
 * lifecycle; `@tskern/signal`'s action table is what the kernel plugs in.
 */
export interface SignalActions {
  /** The child's copy (copy_sighand without CLONE_SIGHAND). */
  fork(): SignalActions;
  /** execve: every handled signal back to its default action (flush_signal_handlers). */
  resetForExec(): void;
}

/**
 * Every signal at its default action: what a task has until a signal
 * package's action table is plugged in (nothing installs a handler yet).
 */
export class DefaultSignalActions implements SignalActions {
  fork(): SignalActions {
    return new DefaultSignalActions();
  }

  resetForExec(): void {
    // Every action is already the default.
  }
}
