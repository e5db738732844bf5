import { CAP, Errno, capBit } from '@tskern/abi';
import { SIG, isValidSignal } from './signal-numbers';

/** The ids kill's permission check reads (a subset of the task's credentials). */
export interface KillCredentials {
  /** Real uid. */
  readonly uid: number;
  /** Effective uid. */
  readonly euid: number;
  /** Saved set-user-id. */
  readonly suid: number;
  /** The capability sets (only the effective one is read). */
  readonly caps: { readonly effective: bigint };
}

/** What the check needs to know about sender and target beyond credentials. */
export interface KillTargetRelation {
  /** Sender and target are threads of one thread group (a process may always signal itself). */
  readonly sameThreadGroup: boolean;
  /** Sender and target are in one session (SIGCONT is allowed then). */
  readonly sameSession: boolean;
}

/**
 * Whether `sender` may signal `target` (kernel/signal.c kill_ok_by_cred): the
 * sender's real or effective uid equals the target's real or saved uid, or
 * the sender has CAP_KILL in its effective set (one user namespace).
 */
export function killAllowedByCredentials(sender: KillCredentials, target: KillCredentials): boolean {
  if ((sender.caps.effective & capBit(CAP.CAP_KILL)) !== 0n) return true;
  return sender.euid === target.suid || sender.euid === target.uid ||
    sender.uid === target.suid || sender.uid === target.uid;
}

/**
 * check_kill_permission for a signal a user sends (kill, tkill, tgkill,
 * rt_sigqueueinfo): EINVAL for a bad number (0, the probe, is allowed),
 * else 0 or EPERM. SIGCONT is allowed within one session whatever the
 * credentials; tskern's sessions are what the task model says they are.
 */
export function checkKillPermission(
  sig: number,
  sender: KillCredentials,
  target: KillCredentials,
  relation: KillTargetRelation,
): number {
  if (sig !== 0 && !isValidSignal(sig)) return -Errno.EINVAL;
  if (relation.sameThreadGroup || killAllowedByCredentials(sender, target)) return 0;
  if (sig === SIG.SIGCONT && relation.sameSession) return 0;
  return -Errno.EPERM;
}
