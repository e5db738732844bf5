import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAP, O, PROT } from '@tskern/abi';
import { formatOp, OP_NAMES, OPERATIONS, parseLine, parseScenario, ScenarioError, splitLines, type Op } from '../src/index';
import { encodeText } from '@tskern/test-kit';


function errorOf(text: string): string {
  try {
    parseLine(text, 3);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as ScenarioError).line).toBe(3);
    return (e as ScenarioError).why;
  }
  throw new Error(`no scenario error for ${text}`);
}

describe('parseLine', () => {
  it('ignores blank and comment lines', () => {
    expect(parseLine('', 1)).toBeNull();
    expect(parseLine(' \t ', 1)).toBeNull();
    expect(parseLine('   # comment => not an expectation', 1)).toBeNull();
  });

  it('parses the example of the spec', () => {
    const lines = parseScenario(
      [
        '# one segment, two processes',
        'p1 shm_open F "/seg" O_RDWR|O_CREAT|O_EXCL 0600',
        'p1 ftruncate F 8K',
        'p1 mmap A 0 8K PROT_READ|PROT_WRITE MAP_SHARED F 0',
        'p1 poke A+100 "hello"',
        'p1 fork p2',
        'p2 peek A+100 5              => "hello"',
        'p2 exec',
        'p1 maps A 12K                => +0x0..+0x2000 rw-s shm:/seg @0x0 (deleted); +0x2000..+0x3000 unmapped',
      ].join('\n'),
    );
    expect(lines.map((l) => l.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(lines[0]!.op).toEqual({ op: 'shm_open', proc: 'p1', fd: 'F', name: encodeText('/seg'), flags: O.O_RDWR | O.O_CREAT | O.O_EXCL, mode: 0o600 });
    expect(lines[1]!.op).toEqual({ op: 'ftruncate', proc: 'p1', fd: 'F', length: 8192 });
    expect(lines[2]!.op).toEqual({
      op: 'mmap',
      proc: 'p1',
      map: 'A',
      addr: { offset: 0 },
      length: 8192,
      prot: PROT.PROT_READ | PROT.PROT_WRITE,
      flags: MAP.MAP_SHARED,
      fd: { kind: 'var', name: 'F' },
      offset: 0,
    });
    expect(lines[3]!.op).toEqual({ op: 'poke', proc: 'p1', addr: { base: 'A', offset: 100 }, data: encodeText('hello') });
    expect(lines[4]!.op).toEqual({ op: 'fork', proc: 'p1', child: 'p2' });
    expect(lines[5]!.expect).toBe('"hello"');
    expect(lines[6]!.op).toEqual({ op: 'exec', proc: 'p2' });
    expect(lines[7]!.expect).toBe('+0x0..+0x2000 rw-s shm:/seg @0x0 (deleted); +0x2000..+0x3000 unmapped');
    expect(lines[4]!.expect).toBeUndefined();
  });

  it('parses every operation', () => {
    const cases: Record<string, Op> = {
      'p1 exit': { op: 'exit', proc: 'p1' },
      'p1 open F "f" O_RDONLY': { op: 'open', proc: 'p1', fd: 'F', path: encodeText('f'), flags: 0, mode: 0o666 },
      'p1 open F "/dev/shm/x" O_CREAT S_IRWXU': { op: 'open', proc: 'p1', fd: 'F', path: encodeText('/dev/shm/x'), flags: O.O_CREAT, mode: 0o700 },
      'p1 shm_open S "/s" O_RDWR': { op: 'shm_open', proc: 'p1', fd: 'S', name: encodeText('/s'), flags: 2, mode: 0o666 },
      'p1 shm_unlink ""': { op: 'shm_unlink', proc: 'p1', name: encodeText('') },
      'p1 unlink "a/b"': { op: 'unlink', proc: 'p1', path: encodeText('a/b') },
      'p1 close F': { op: 'close', proc: 'p1', fd: 'F' },
      'p1 dup F G': { op: 'dup', proc: 'p1', fd: 'F', newFd: 'G' },
      'p1 ftruncate F -1': { op: 'ftruncate', proc: 'p1', fd: 'F', length: -1 },
      'p1 write F "x\\0"': { op: 'write', proc: 'p1', fd: 'F', data: Uint8Array.of(0x78, 0) },
      'p1 pwrite F 4K "y"': { op: 'pwrite', proc: 'p1', fd: 'F', offset: 4096, data: encodeText('y') },
      'p1 read F 10': { op: 'read', proc: 'p1', fd: 'F', length: 10 },
      'p1 pread F 0x10 3': { op: 'pread', proc: 'p1', fd: 'F', offset: 16, length: 3 },
      'p1 lseek F -24 SEEK_CUR': { op: 'lseek', proc: 'p1', fd: 'F', offset: -24, whence: 1 },
      'p1 fstat F': { op: 'fstat', proc: 'p1', fd: 'F' },
      'p1 mmap A R+4K 4K 3 0x32 -1 00': {
        op: 'mmap', proc: 'p1', map: 'A', addr: { base: 'R', offset: 4096 }, length: 4096, prot: 3, flags: 0x32,
        fd: { kind: 'number', value: -1 }, offset: 0,
      },
      'p1 munmap A 4K': { op: 'munmap', proc: 'p1', addr: { base: 'A', offset: 0 }, length: 4096 },
      'p1 mprotect A-4K 0 PROT_NONE': { op: 'mprotect', proc: 'p1', addr: { base: 'A', offset: -4096 }, length: 0, prot: 0 },
      'p1 msync A 8K MS_SYNC': { op: 'msync', proc: 'p1', addr: { base: 'A', offset: 0 }, length: 8192, flags: 4 },
      'p1 mremap B A 8K 4K 0': {
        op: 'mremap', proc: 'p1', map: 'B', addr: { base: 'A', offset: 0 }, oldLength: 8192, newLength: 4096, flags: 0, newAddr: undefined,
      },
      'p1 mremap B A 4K 4K MREMAP_MAYMOVE|MREMAP_FIXED R+64K': {
        op: 'mremap', proc: 'p1', map: 'B', addr: { base: 'A', offset: 0 }, oldLength: 4096, newLength: 4096, flags: 3,
        newAddr: { base: 'R', offset: 65536 },
      },
      'p1 madvise A 4K MADV_REMOVE': { op: 'madvise', proc: 'p1', addr: { base: 'A', offset: 0 }, length: 4096, advice: 9 },
      'p1 mincore A 0': { op: 'mincore', proc: 'p1', addr: { base: 'A', offset: 0 }, length: 0 },
      'p1 poke A ""': { op: 'poke', proc: 'p1', addr: { base: 'A', offset: 0 }, data: encodeText('') },
      'p1 fill A 3 0377': { op: 'fill', proc: 'p1', addr: { base: 'A', offset: 0 }, length: 3, byte: 255 },
      'p1 peek 0 1': { op: 'peek', proc: 'p1', addr: { offset: 0 }, length: 1 },
      'p1 sum A 1M': { op: 'sum', proc: 'p1', addr: { base: 'A', offset: 0 }, length: 1 << 20 },
      'p1 eq A B-4K': { op: 'eq', proc: 'p1', a: { base: 'A', offset: 0 }, b: { base: 'B', offset: -4096 } },
      'p1 maps A 12K': { op: 'maps', proc: 'p1', addr: { base: 'A', offset: 0 }, length: 12288 },
    };
    for (const [text, op] of Object.entries(cases)) expect(parseLine(text, 1)?.op, text).toEqual(op);
  });

  it('reports every kind of malformed line with a reason', () => {
    expect(errorOf('=> ok')).toBe("'=>' without an operation");
    expect(errorOf('   => ok # c')).toBe("'=>' without an operation");
    expect(errorOf('p1')).toBe('missing operation after process label p1');
    expect(errorOf('p1 frobnicate A')).toBe('unknown operation frobnicate');
    expect(errorOf('p1 "peek"')).toMatch(/unknown operation/);
    expect(errorOf('1p peek A 1')).toMatch(/must start with a process label/);
    expect(errorOf('"p1" peek A 1')).toMatch(/must start with a process label/);
    expect(errorOf('p1 peek A')).toBe('peek takes 2 arguments (ADDR LEN), got 1');
    expect(errorOf('p1 exit now')).toBe('exit takes 0 arguments, got 1');
    expect(errorOf('p1 fork')).toBe('fork takes 1 argument (Q), got 0');
    expect(errorOf('p1 open F "x"')).toBe('open takes 3 or 4 arguments (F PATH FLAGS [MODE]), got 2');
    expect(errorOf('p1 open F "x" O_RDONLY 0 0')).toMatch(/takes 3 or 4 arguments/);
    expect(errorOf('p1 mremap A B 1 2 0 C D')).toMatch(/mremap takes 5 or 6 arguments/);
    expect(errorOf('p1 open F x O_RDONLY')).toBe("open's PATH must be a string literal, got x");
    expect(errorOf('p1 close "F"')).toMatch(/must not be a string literal/);
    expect(errorOf('p1 close 3')).toBe("close's F must be a name, got 3");
    expect(errorOf('p1 fork 2p')).toMatch(/must be a name/);
    expect(errorOf('p1 mmap A 0 4K PROT_READ MAP_PRIVATE F- 0')).toMatch(/must be an fd variable or a number/);
  });

  it('rejects paths outside the scratch directory and /dev/shm/, and NUL bytes', () => {
    expect(errorOf('p1 open F "/etc/passwd" O_RDONLY')).toMatch(/"\/etc\/passwd" is an absolute path outside \/dev\/shm\//);
    expect(errorOf('p1 unlink "/dev/shm"')).toMatch(/absolute path outside/);
    expect(errorOf('p1 unlink "/dev/shm/.."')).toMatch(/does not name an object under \/dev\/shm\//);
    expect(errorOf('p1 unlink "/dev/shm//./x"')).toMatch(/does not name an object/);
    expect(parseLine('p1 unlink "/dev/shm/..x"', 1)?.op.op).toBe('unlink');
    expect(parseLine('p1 unlink "../up"', 1)?.op.op).toBe('unlink');
    expect(errorOf('p1 open F "a\\0b" O_RDONLY')).toMatch(/holds a NUL byte/);
    expect(errorOf('p1 unlink "\\0"')).toMatch(/holds a NUL byte/);
    expect(errorOf('p1 shm_open F "/a\\0" O_RDONLY')).toMatch(/holds a NUL byte/);
    expect(errorOf('p1 shm_unlink "\\0"')).toMatch(/holds a NUL byte/);
    // shm names are checked by glibc's rules at run time, not here
    expect(parseLine('p1 shm_open F "a/b" O_RDONLY', 1)?.op.op).toBe('shm_open');
    // data may hold anything
    expect(parseLine('p1 poke A "\\0"', 1)?.op.op).toBe('poke');
  });

  it('checks fill BYTE, non-negative lengths and flag families per argument', () => {
    expect(errorOf('p1 fill A 1 256')).toBe("fill's BYTE 256 is out of range 0..255");
    expect(errorOf('p1 fill A 1 -1')).toMatch(/out of range 0..255/);
    expect(errorOf('p1 fill A 1 0x100')).toMatch(/out of range/);
    expect(parseLine('p1 fill A 1 0xff', 1)?.op).toMatchObject({ byte: 255 });
    expect(errorOf('p1 peek A -1')).toMatch(/must not be negative/);
    expect(errorOf('p1 read F -1')).toMatch(/must not be negative/);
    expect(errorOf('p1 mmap A 0 4K MAP_SHARED MAP_SHARED -1 0')).toMatch(/MAP_SHARED is a MAP_\* name; mmap's PROT takes PROT_\* names/);
    expect(errorOf('p1 mprotect A 4K MAP_SHARED')).toMatch(/takes PROT_\*/);
    expect(errorOf('p1 msync A 4K MADV_DONTNEED')).toMatch(/takes MS_\*/);
    expect(errorOf('p1 madvise A 4K MS_SYNC')).toMatch(/takes MADV_\*/);
    expect(errorOf('p1 lseek F 0 O_RDONLY')).toMatch(/takes SEEK_\*/);
    expect(errorOf('p1 mremap B A 4K 8K MAP_FIXED')).toMatch(/takes MREMAP_\*/);
    expect(errorOf('p1 open F "x" PROT_READ')).toMatch(/takes O_\*/);
    expect(errorOf('p1 open F "x" O_CREAT O_RDWR')).toMatch(/takes S_I\*/);
    expect(errorOf('p1 open F "x" O_CREAT 0800')).toMatch(/octal/);
    expect(errorOf('p1 peek A+4K-2 1')).toMatch(/more than one offset/);
    expect(errorOf('p1 peek A 08')).toMatch(/not an octal digit/);
    expect(errorOf('p1 poke A "\\q"')).toMatch(/unknown escape/);
    expect(errorOf('p1 poke A "abc')).toBe('unterminated string literal');
  });

  it('keeps a line whose expectation is empty', () => {
    expect(parseLine('p1 mincore A 0 =>', 1)?.expect).toBe('');
  });
});

describe('splitLines', () => {
  it('numbers lines like the file, with or without a final newline, CRLF tolerated', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\nb')).toEqual(['a', 'b']);
    expect(splitLines('a\r\n\r\nb\r\n')).toEqual(['a', '', 'b']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['']);
  });
});

describe('formatOp', () => {
  it('prints lines the parser reads back', () => {
    expect(formatOp({ op: 'poke', proc: 'p1', addr: { base: 'A', offset: -16 }, data: Uint8Array.of(0x22, 0x5c, 10, 0x41) })).toBe(
      'p1 poke A-0x10 "\\x22\\x5c\\x0aA"',
    );
    expect(formatOp({ op: 'open', proc: 'p1', fd: 'F', path: encodeText('f'), flags: O.O_RDWR | O.O_CREAT, mode: 0o600 })).toBe(
      'p1 open F "f" O_RDWR|O_CREAT 0600',
    );
  });

  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/);
  const int = fc.integer({ min: -(2 ** 40), max: 2 ** 40 });
  const count = fc.integer({ min: 0, max: 2 ** 40 });
  const bytes = fc.uint8Array({ maxLength: 12 });
  const path = fc.uint8Array({ maxLength: 12 }).map((b) => b.map((x) => (x === 0 || x === 0x2f ? 0x61 : x)));
  const flags = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 2, 3, 0x22, 0x100000));
  const addr = fc.oneof(
    int.map((offset) => ({ offset })),
    fc.tuple(name, int).map(([base, offset]) => ({ base, offset })),
  );
  const fdArg = fc.oneof(name.map((n) => ({ kind: 'var' as const, name: n })), int.map((v) => ({ kind: 'number' as const, value: v })));
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('fork' as const), proc: name, child: name }),
    fc.record({ op: fc.constantFrom('exit' as const, 'exec' as const), proc: name }),
    fc.record({ op: fc.constant('open' as const), proc: name, fd: name, path, flags, mode: fc.integer({ min: 0, max: 0o7777 }) }),
    fc.record({ op: fc.constant('shm_open' as const), proc: name, fd: name, name: path, flags, mode: fc.integer({ min: 0, max: 0o7777 }) }),
    fc.record({ op: fc.constant('shm_unlink' as const), proc: name, name: path }),
    fc.record({ op: fc.constant('unlink' as const), proc: name, path }),
    fc.record({ op: fc.constantFrom('close' as const, 'fstat' as const), proc: name, fd: name }),
    fc.record({ op: fc.constant('dup' as const), proc: name, fd: name, newFd: name }),
    fc.record({ op: fc.constant('ftruncate' as const), proc: name, fd: name, length: int }),
    fc.record({ op: fc.constant('write' as const), proc: name, fd: name, data: bytes }),
    fc.record({ op: fc.constant('pwrite' as const), proc: name, fd: name, offset: int, data: bytes }),
    fc.record({ op: fc.constant('read' as const), proc: name, fd: name, length: count }),
    fc.record({ op: fc.constant('pread' as const), proc: name, fd: name, offset: int, length: count }),
    fc.record({ op: fc.constant('lseek' as const), proc: name, fd: name, offset: int, whence: fc.integer({ min: 0, max: 4 }) }),
    fc.record({ op: fc.constant('mmap' as const), proc: name, map: name, addr, length: int, prot: flags, flags, fd: fdArg, offset: int }),
    fc.record({ op: fc.constantFrom('munmap' as const, 'mincore' as const), proc: name, addr, length: int }),
    fc.record({ op: fc.constant('mprotect' as const), proc: name, addr, length: int, prot: flags }),
    fc.record({ op: fc.constant('msync' as const), proc: name, addr, length: int, flags }),
    fc.record({
      op: fc.constant('mremap' as const), proc: name, map: name, addr, oldLength: int, newLength: int, flags,
      newAddr: fc.option(addr, { nil: undefined }),
    }),
    fc.record({ op: fc.constant('madvise' as const), proc: name, addr, length: int, advice: fc.integer({ min: 0, max: 200 }) }),
    fc.record({ op: fc.constant('poke' as const), proc: name, addr, data: bytes }),
    fc.record({ op: fc.constant('fill' as const), proc: name, addr, length: count, byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ op: fc.constantFrom('peek' as const, 'sum' as const, 'maps' as const), proc: name, addr, length: count }),
    fc.record({ op: fc.constant('eq' as const), proc: name, a: addr, b: addr }),
  );

  it('round-trips every operation through parseLine', () => {
    fc.assert(
      fc.property(op, (o) => {
        const back = parseLine(formatOp(o), 1)!.op;
        expect(back).toEqual(o);
      }),
      { numRuns: propertyRuns(500) },
    );
  }, testTimeout(30_000));

  it('covers every operation of the table', () => {
    expect(OP_NAMES.sort()).toEqual(Object.keys(OPERATIONS).sort());
    expect(OP_NAMES).toHaveLength(29);
  });
});

describe('the conformance scenarios of the repository', () => {
  // Parse-only smoke test over the shared scenarios (if present): every line
  // either parses or is a scenario error with a reason; nothing throws
  // anything else.
  const root = fileURLToPath(new URL('../../../tooling/conformance/scenarios', import.meta.url));
  let files: string[] = [];
  try {
    files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.scn'));
  } catch {
    files = [];
  }
  it.skipIf(files.length === 0)('parse or fail with a ScenarioError', () => {
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      splitLines(text).forEach((line, i) => {
        try {
          parseLine(line, i + 1);
        } catch (e) {
          expect(e, `${f}:${i + 1}`).toBeInstanceOf(ScenarioError);
        }
      });
    }
  });
});
