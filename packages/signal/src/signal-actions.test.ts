import { describe, expect, it } from 'vitest';
import { Errno } from '@tskern/abi';
import { SA, SIG_DFL, SIG_IGN, type SigAction } from './sigaction';
import { SignalActions } from './signal-actions';
import { SIG } from './signal-numbers';
import { SignalSet } from './signal-set';

const handler = (addr: number, flags = 0, mask = SignalSet.EMPTY): SigAction => ({ handler: addr, flags, restorer: 0, mask });

describe('SignalActions', () => {
  it('starts at SIG_DFL and refuses SIGKILL, SIGSTOP and bad numbers with EINVAL', () => {
    const t = new SignalActions();
    expect(t.get(SIG.SIGINT).handler).toBe(SIG_DFL);
    expect(t.set(SIG.SIGKILL, handler(0x1000))).toBe(-Errno.EINVAL);
    expect(t.set(SIG.SIGSTOP, handler(SIG_IGN))).toBe(-Errno.EINVAL);
    expect(t.set(0, handler(0x1000))).toBe(-Errno.EINVAL);
    expect(t.set(65, handler(0x1000))).toBe(-Errno.EINVAL);
    expect(t.query(65)).toBe(-Errno.EINVAL);
    expect(t.query(SIG.SIGKILL)).toMatchObject({ handler: SIG_DFL }); // reading is allowed
  });

  it('answers the old action and never lets a handler block SIGKILL or SIGSTOP', () => {
    const t = new SignalActions();
    const first = t.set(SIG.SIGUSR1, handler(0x1000, SA.SA_SIGINFO, SignalSet.of(SIG.SIGKILL, SIG.SIGSTOP, SIG.SIGINT)));
    expect(first).toMatchObject({ old: { handler: SIG_DFL }, discardPending: false });
    expect(t.get(SIG.SIGUSR1).mask.toArray()).toEqual([SIG.SIGINT]);
    const second = t.set(SIG.SIGUSR1, handler(SIG_IGN));
    expect(second).toMatchObject({ old: { handler: 0x1000, flags: SA.SA_SIGINFO }, discardPending: true });
  });

  it('says pending instances go when the new disposition ignores (SIG_IGN, or SIG_DFL of SIGCHLD)', () => {
    const t = new SignalActions();
    expect(t.set(SIG.SIGCHLD, handler(SIG_DFL))).toMatchObject({ discardPending: true });
    expect(t.set(SIG.SIGTERM, handler(SIG_DFL))).toMatchObject({ discardPending: false });
  });

  it('fork copies, CLONE_SIGHAND shares the object, exec keeps only ignored dispositions', () => {
    const t = new SignalActions();
    t.set(SIG.SIGINT, handler(0x1000, SA.SA_RESTART, SignalSet.of(SIG.SIGTERM)));
    t.set(SIG.SIGPIPE, handler(SIG_IGN, SA.SA_RESTART));
    const child = t.clone();
    child.set(SIG.SIGINT, handler(0x2000));
    expect(t.get(SIG.SIGINT).handler).toBe(0x1000);
    t.resetForExec();
    expect(t.get(SIG.SIGINT)).toMatchObject({ handler: SIG_DFL, flags: 0 });
    expect(t.get(SIG.SIGINT).mask.isEmpty()).toBe(true);
    expect(t.get(SIG.SIGPIPE)).toMatchObject({ handler: SIG_IGN, flags: 0 });
    expect(child.get(SIG.SIGINT).handler).toBe(0x2000);
  });
});
