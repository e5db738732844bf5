/**
 * @tskern/signal — Linux signal state with no knowledge of tasks: 64-bit
 * signal sets, the action table, pending queues, siginfo, the choice of the
 * next signal, sigaltstack, kill's permission check, and the architecture
 * hook that builds signal frames. See README.md.
 */
export { SIG, SIGRTMIN, SIGRTMAX, NSIG, isValidSignal, isRealtimeSignal, signalAbbrev } from './signal-numbers';
export { SignalSet, SIGSET_SIZE, decodeSignalSet, encodeSignalSet } from './signal-set';
export {
  type DefaultAction, defaultAction, isCatchable, KERNEL_ONLY_SIGNALS, SYNCHRONOUS_SIGNALS,
} from './default-action';
export {
  SIG_DFL, SIG_IGN, SA, type SigAction, DEFAULT_SIGACTION, type SigactionLayout, SIGACTION_X86_64,
  SIGACTION_GENERIC, decodeSigaction, encodeSigaction,
} from './sigaction';
export { SignalActions, type SigactionChange, ignores } from './signal-actions';
export { SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK, checkSigsetSize, applySigprocmask, sanitizeBlocked } from './sigprocmask';
export {
  SI, SEGV_MAPERR, SEGV_ACCERR, BUS_ADRALN, BUS_ADRERR, BUS_OBJERR, CLD, SIGINFO_SIZE,
  type SigInfo, type KillSigInfo, type RtSigInfo, type TimerSigInfo, type FaultSigInfo, type ChildSigInfo,
  siginfoLayout, userSigInfo, kernelSigInfo, faultSigInfo, childSigInfo, encodeSiginfo, decodeSiginfo,
} from './siginfo';
export {
  type SigpendingAccount, SigpendingCounter, type SendOutcome, PendingSignals,
} from './pending-signals';
export { nextSignal } from './next-signal';
export {
  type HandlerDelivery, type DefaultDelivery, type Delivery, blockedDuringHandler, takeSignal,
  type SyscallRestart, restartAfterSignal,
} from './delivery';
export {
  SS_ONSTACK, SS_DISABLE, SS_AUTODISARM, MINSIGSTKSZ, STACK_T_SIZE, type SigAltStack, NO_ALTSTACK,
  onAltStack, reportAltStack, setAltStack, signalStackPointer, decodeStackT, encodeStackT,
} from './sigaltstack';
export {
  type KillCredentials, type KillTargetRelation, killAllowedByCredentials, checkKillPermission,
} from './kill-permission';
export {
  type SignalFrameMemory, type SignalFrameRequest, type SignalFrameRestore, type SignalFrameBuilder,
} from './frame-builder';
