import type { Task } from './task';

/**
 * The user context of a new task (copy_thread): never the parent's object,
 * whatever the clone flags, since the child's registers change independently
 * (its return register is 0, a thread runs on its own stack with its own
 * TLS). The architecture copies a context it knows; another context is
 * copied as plain data (structuredClone); none stays none.
 */
export function childContext(parent: Task, stack: number, tls: number | null): unknown {
  const ctx = parent.userContext;
  const abi = parent.abi.userContext;
  if (abi !== undefined && abi.owns(ctx)) return abi.forkContext(ctx, { stack, tls });
  if (typeof ctx !== 'object' || ctx === null) return ctx;
  return structuredClone(ctx);
}
