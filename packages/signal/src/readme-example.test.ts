import { describe, expect, it } from 'vitest';
import {
  PendingSignals, SigpendingCounter, SignalActions, SignalSet, SIG, SA, takeSignal, userSigInfo,
} from './index';

describe('README example', () => {
  it('runs as written', () => {
    const actions = new SignalActions();
    actions.set(SIG.SIGUSR1, { handler: 0x401000, flags: SA.SA_SIGINFO, restorer: 0, mask: SignalSet.of(SIG.SIGTERM) });
    const thread = new PendingSignals();
    const group = new PendingSignals();
    group.enqueue(userSigInfo(SIG.SIGUSR1, 42, 1000), new SigpendingCounter(1024));
    const d = takeSignal(thread, group, SignalSet.EMPTY, actions);
    expect(d).toMatchObject({ kind: 'handler', sig: 10, info: { pid: 42, uid: 1000 } });
    expect(d?.kind === 'handler' && d.blocked.toArray()).toEqual([SIG.SIGUSR1, SIG.SIGTERM]);
  });
});
