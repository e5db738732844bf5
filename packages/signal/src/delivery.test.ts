import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockedDuringHandler, restartAfterSignal, takeSignal } from './delivery';
import { nextSignal } from './next-signal';
import { PendingSignals, SigpendingCounter } from './pending-signals';
import { SA, SIG_IGN, type SigAction } from './sigaction';
import { SEGV_MAPERR, faultSigInfo, userSigInfo } from './siginfo';
import { SignalActions } from './signal-actions';
import { SIG } from './signal-numbers';
import { SignalSet } from './signal-set';
import { SYNCHRONOUS_SIGNALS } from './default-action';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 100);
const acct = new SigpendingCounter(1 << 20);
const catchIt = (flags = 0, mask = SignalSet.EMPTY): SigAction => ({ handler: 0x4000, flags, restorer: 0, mask });

describe('nextSignal', () => {
  it('prefers the lowest synchronous signal, then the lowest', () => {
    expect(nextSignal(SignalSet.of(SIG.SIGINT, SIG.SIGSEGV, SIG.SIGBUS), SignalSet.EMPTY)).toBe(SIG.SIGBUS);
    expect(nextSignal(SignalSet.of(SIG.SIGTERM, 40), SignalSet.EMPTY)).toBe(SIG.SIGTERM);
    expect(nextSignal(SignalSet.of(SIG.SIGSEGV, SIG.SIGINT), SignalSet.of(SIG.SIGSEGV))).toBe(SIG.SIGINT);
    expect(nextSignal(SignalSet.of(SIG.SIGINT), SignalSet.of(SIG.SIGINT))).toBe(0);
  });

  it('answers an unblocked pending signal, synchronous ones first (property)', () => {
    const set = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }))
      .map(([lo, hi]) => SignalSet.fromWords(lo, hi));
    fc.assert(
      fc.property(set, set, (pending, blocked) => {
        const sig = nextSignal(pending, blocked);
        const ready = pending.minus(blocked);
        if (ready.isEmpty()) {
          expect(sig).toBe(0);
        } else {
          expect(ready.has(sig)).toBe(true);
          const sync = ready.intersect(SYNCHRONOUS_SIGNALS);
          expect(sig).toBe(sync.isEmpty() ? ready.toArray()[0] : sync.toArray()[0]);
        }
      }),
      { numRuns: runs },
    );
  });
});

describe('takeSignal', () => {
  it('takes the thread queue before the shared one, and skips ignored signals', () => {
    const thread = new PendingSignals();
    const shared = new PendingSignals();
    const actions = new SignalActions();
    actions.set(SIG.SIGUSR1, catchIt());
    actions.set(SIG.SIGUSR2, catchIt());
    actions.set(SIG.SIGHUP, { ...catchIt(), handler: SIG_IGN });
    shared.enqueue(userSigInfo(SIG.SIGHUP, 1, 0), acct);
    shared.enqueue(userSigInfo(SIG.SIGUSR1, 1, 0), acct);
    thread.enqueue(userSigInfo(SIG.SIGUSR2, 2, 0), acct);
    thread.enqueue(userSigInfo(SIG.SIGCHLD, 3, 0), acct); // SIG_DFL of SIGCHLD: ignored
    const first = takeSignal(thread, shared, SignalSet.EMPTY, actions);
    expect(first).toMatchObject({ kind: 'handler', sig: SIG.SIGUSR2, info: { pid: 2 } });
    const second = takeSignal(thread, shared, SignalSet.EMPTY, actions);
    expect(second).toMatchObject({ kind: 'handler', sig: SIG.SIGUSR1 });
    expect(takeSignal(thread, shared, SignalSet.EMPTY, actions)).toBeNull();
    expect(thread.signals.isEmpty() && shared.signals.isEmpty()).toBe(true);
  });

  it('delivers a fault before an earlier asynchronous signal, with its address', () => {
    const thread = new PendingSignals();
    const actions = new SignalActions();
    actions.set(SIG.SIGSEGV, catchIt(SA.SA_SIGINFO));
    thread.enqueue(userSigInfo(SIG.SIGINT, 1, 0), acct);
    thread.enqueue(faultSigInfo(SIG.SIGSEGV, SEGV_MAPERR, 0xdead000), acct);
    const d = takeSignal(thread, new PendingSignals(), SignalSet.EMPTY, actions);
    expect(d).toMatchObject({ kind: 'handler', sig: SIG.SIGSEGV, info: { kind: 'fault', addr: 0xdead000 } });
  });

  it('answers default actions: terminate, core, stop; SIGCONT with SIG_DFL is consumed', () => {
    const thread = new PendingSignals();
    const actions = new SignalActions();
    thread.enqueue(userSigInfo(SIG.SIGCONT, 1, 0), acct);
    expect(takeSignal(thread, new PendingSignals(), SignalSet.EMPTY, actions)).toBeNull();
    expect(thread.has(SIG.SIGCONT)).toBe(false);
    thread.enqueue(userSigInfo(SIG.SIGQUIT, 1, 0), acct);
    expect(takeSignal(thread, new PendingSignals(), SignalSet.EMPTY, actions)).toMatchObject({ kind: 'default', sig: SIG.SIGQUIT, action: 'core' });
    thread.enqueue(userSigInfo(SIG.SIGTSTP, 1, 0), acct);
    expect(takeSignal(thread, new PendingSignals(), SignalSet.EMPTY, actions)).toMatchObject({ action: 'stop' });
    thread.enqueue(userSigInfo(SIG.SIGPIPE, 1, 0), acct);
    expect(takeSignal(thread, new PendingSignals(), SignalSet.EMPTY, actions)).toMatchObject({ action: 'term' });
  });

  it('blocks the signal and sa_mask while the handler runs, unless SA_NODEFER; SA_RESETHAND resets', () => {
    const actions = new SignalActions();
    actions.set(SIG.SIGUSR1, catchIt(SA.SA_RESETHAND, SignalSet.of(SIG.SIGTERM)));
    actions.set(SIG.SIGUSR2, catchIt(SA.SA_NODEFER));
    const thread = new PendingSignals();
    thread.enqueue(userSigInfo(SIG.SIGUSR1, 1, 0), acct);
    thread.enqueue(userSigInfo(SIG.SIGUSR2, 1, 0), acct);
    const start = SignalSet.of(SIG.SIGINT);
    const d1 = takeSignal(thread, new PendingSignals(), start, actions);
    expect(d1?.kind === 'handler' && d1.blocked.toArray()).toEqual([SIG.SIGINT, SIG.SIGUSR1, SIG.SIGTERM]);
    expect(d1?.kind === 'handler' && d1.oldBlocked.equals(start)).toBe(true);
    expect(actions.get(SIG.SIGUSR1).handler).toBe(0);
    const d2 = takeSignal(thread, new PendingSignals(), start, actions);
    expect(d2?.kind === 'handler' && d2.blocked.toArray()).toEqual([SIG.SIGINT]);
    expect(blockedDuringHandler(SignalSet.EMPTY, SIG.SIGINT, catchIt(0, SignalSet.of(SIG.SIGKILL))).toArray()).toEqual([SIG.SIGINT]);
  });
});

describe('restartAfterSignal', () => {
  it('restarts ERESTARTSYS only with SA_RESTART and never restarts NOHAND/RESTARTBLOCK into a handler', () => {
    expect(restartAfterSignal('sys', catchIt(SA.SA_RESTART))).toBe('restart');
    expect(restartAfterSignal('sys', catchIt())).toBe('eintr');
    expect(restartAfterSignal('nohand', catchIt(SA.SA_RESTART))).toBe('eintr');
    expect(restartAfterSignal('restartblock', catchIt(SA.SA_RESTART))).toBe('eintr');
    expect(restartAfterSignal('nointr', catchIt())).toBe('restart');
    for (const k of ['sys', 'nohand', 'restartblock', 'nointr'] as const) expect(restartAfterSignal(k, null)).toBe('restart');
    expect(restartAfterSignal('never', null)).toBe('eintr');
    expect(restartAfterSignal('never', catchIt(SA.SA_RESTART))).toBe('eintr');
  });
});
