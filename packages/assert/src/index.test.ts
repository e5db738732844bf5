import { afterEach, describe, expect, it } from 'vitest';
import { checkInvariants, invariant, InvariantError, setInvariantChecks } from './index';

describe('invariant', () => {
  afterEach(() => setInvariantChecks(true));

  it('passes on a true condition and throws InvariantError on a false one', () => {
    expect(() => invariant(true, 'never')).not.toThrow();
    expect(() => invariant(0, 'zero is falsy')).toThrow(InvariantError);
    expect(() => invariant(false, () => 'lazy message')).toThrow('lazy message');
  });

  it('runs expensive checks only while switched on', () => {
    let runs = 0;
    setInvariantChecks(true);
    checkInvariants(() => runs++);
    setInvariantChecks(false);
    checkInvariants(() => runs++);
    expect(runs).toBe(1);
  });
});
