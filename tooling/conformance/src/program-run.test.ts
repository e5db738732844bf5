import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProgram } from './program-run';

const fixtures = fileURLToPath(new URL('../../../packages/elf/fixtures', import.meta.url));

describe('a suite program run', () => {
  it('gives run-one.py\'s transcript: stdout, then the exit code', () => {
    expect(runProgram(fixtures, 'tiny-static', () => false)).toEqual({ transcript: 'hello\nexit 42\n', stderr: '' });
  });

  it('names a run that was stopped', () => {
    expect(runProgram(fixtures, 'tiny-static-pie', () => true).transcript).toBe('timeout\n');
  });
});
