import { describe, expect, it } from 'vitest';
import { Errno, MAP, O, PROT, STAT, SYS, Signal } from '@tskern/abi';
import { runScenario, runScenarioStreaming, ScenarioCrash, ScenarioTimeout } from '../src/index';
import { FakeKernel } from './fake-kernel';

const R = 0x7f0000000000;

function run(text: string, kernel = new FakeKernel(), check = false) {
  const result = runScenario(text, { kernel, check });
  return { ...result, kernel, lines: result.transcript.split('\n').slice(0, -1) };
}

describe('setup', () => {
  it('makes the scratch directory as root, then starts p1 as an unprivileged user in it', () => {
    const k = new FakeKernel();
    runScenario('', { kernel: k });
    expect(k.programs.get('/bin/scenario')).toEqual({});
    const [root, p1] = k.spawned;
    expect(root).toMatchObject({ program: '/bin/scenario', options: { uid: 0, gid: 0 } });
    expect(k.calls.map((c) => [c.pid, c.name, c.path, ...c.args])).toEqual([
      [root!.pid, 'mkdir', '/scratch-1', expect.any(Number), 0o700],
      [root!.pid, 'chown', '/scratch-1', expect.any(Number), 1000, 1000],
      [root!.pid, 'exit_group', undefined, 0],
    ]);
    expect(p1).toMatchObject({ program: '/bin/scenario', options: { uid: 1000, gid: 1000, umask: 0o022, cwd: '/scratch-1' } });
    expect(k.isAlive(root!.pid)).toBe(false);
  });

  it('passes pointer arguments on the stack of the calling process', () => {
    const k = new FakeKernel();
    runScenario('p1 unlink "x"', { kernel: k });
    const call = k.scenarioCalls[0]!;
    const { start, end } = k.stack(call.pid);
    expect(call.args[0]).toBeGreaterThanOrEqual(start);
    expect(call.args[0]).toBeLessThan(end);
  });

  it('takes the next /scratch-<n> when one exists, and / when the kernel has no mkdir', () => {
    let n = 0;
    const k = new FakeKernel().on('mkdir', () => (n++ < 2 ? -Errno.EEXIST : 0));
    runScenario('', { kernel: k });
    expect(k.spawned[1]!.options.cwd).toBe('/scratch-3');

    const k2 = new FakeKernel().on('mkdir', () => -Errno.ENOSYS);
    runScenario('', { kernel: k2 });
    expect(k2.spawned[1]!.options.cwd).toBe('/');
    expect(k2.calls.map((c) => c.name)).toEqual(['mkdir', 'exit_group']);
  });

  it('reports a setup failure as a crash at line 0', () => {
    const k = new FakeKernel().on('mkdir', () => -Errno.EACCES);
    expect(() => runScenario('', { kernel: k })).toThrow(/mkdir\("\/scratch-1"\) answered -EACCES/);
  });

  it('makes a hostfs scratch directory under /host', () => {
    const k = new FakeKernel();
    runScenario('', { kernel: k, scratch: 'hostfs' });
    expect(k.spawned[1]!.options.cwd).toBe('/host/scratch-1');
    const k2 = new FakeKernel().on('mkdir', () => -Errno.ENOSYS);
    expect(() => runScenario('', { kernel: k2, scratch: 'hostfs' })).toThrow(/mkdir\("\/host\/scratch-1"\) answered -ENOSYS/);
  });
});

describe('64-bit arguments', () => {
  it('hands values beyond 2^53 to the kernel as bigints, exactly', () => {
    const k = new FakeKernel();
    const r = run('p1 open F "f" O_RDWR|O_CREAT\np1 ftruncate F 0x7fffffffffffffff\np1 pwrite F 0x8000000000000000 "x"\np1 ftruncate F 4096', k);
    expect(r.lines.slice(0, 2)).toEqual(['1: ok', '2: ok']);
    const calls = k.scenarioCalls;
    expect(calls[1]).toMatchObject({ name: 'ftruncate', args: [3, 2n ** 63n - 1n] });
    expect(calls[2]!.args[3]).toBe(2n ** 63n);
    expect(calls[3]).toMatchObject({ name: 'ftruncate', args: [3, 4096] });
  });
});

describe('files', () => {
  it('opens with the path, flags and mode (0666 by default), and binds the fd', () => {
    const k = new FakeKernel();
    const r = run('p1 open F "a.txt" O_RDWR|O_CREAT|O_EXCL 0600\np1 open G "b" O_RDONLY\np1 close F\np1 close G', k);
    expect(r.lines).toEqual(['1: ok', '2: ok', '3: ok', '4: ok']);
    const [open1, open2, close1, close2] = k.scenarioCalls;
    expect(open1).toMatchObject({ name: 'open', path: 'a.txt', args: [expect.any(Number), O.O_RDWR | O.O_CREAT | O.O_EXCL, 0o600] });
    expect(open2).toMatchObject({ name: 'open', path: 'b', args: [expect.any(Number), 0, 0o666] });
    expect(close1).toMatchObject({ name: 'close', args: [3] });
    expect(close2).toMatchObject({ name: 'close', args: [4] });
  });

  it('prints errno names and unbinds the name of a failed open', () => {
    const k = new FakeKernel().on('open', () => -Errno.ENOENT);
    const r = run('p1 open F "missing" O_RDONLY\np1 close F', k);
    expect(r.lines).toEqual(['1: -ENOENT']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('2: scenario error: F is unbound (its open on line 1 failed)\n');
  });

  it('unbinds a name that was bound before when a later open fails', () => {
    let n = 0;
    const k = new FakeKernel().on('open', ({ fallback }) => (n++ === 0 ? fallback() : -Errno.EEXIST));
    const r = run('p1 open F "a" O_CREAT\np1 open F "a" O_CREAT|O_EXCL\np1 close F', k);
    expect(r.lines).toEqual(['1: ok', '2: -EEXIST']);
    expect(r.status).toBe(2);
  });

  it('writes and pwrites the bytes of the string and prints the count', () => {
    const k = new FakeKernel().on('pwrite64', () => 2);
    const r = run('p1 open F "f" O_RDWR\np1 write F "a\\0b"\np1 pwrite F 4096 "xyz"\np1 write F ""', k);
    expect(r.lines).toEqual(['1: ok', '2: 3', '3: 2', '4: 0']);
    const [, write, pwrite, empty] = k.scenarioCalls;
    expect(write).toMatchObject({ name: 'write', data: 'a\0b', args: [3, expect.any(Number), 3] });
    expect(pwrite).toMatchObject({ name: 'pwrite64', data: 'xyz', args: [3, expect.any(Number), 3, 4096] });
    expect(empty).toMatchObject({ name: 'write', args: [3, expect.any(Number), 0] });
  });

  it('reads and preads into the stack and prints the bytes actually read', () => {
    const k = new FakeKernel()
      .on('read', ({ pid, args, kernel }) => {
        kernel.copyOut(pid, args[1]!, Uint8Array.of(0x61, 0x22, 0, 0xff));
        return 4;
      })
      .on('pread64', ({ pid, args, kernel }) => {
        kernel.copyOut(pid, args[1]!, 'page1');
        return args[3] === 4096 ? 5 : -Errno.EINVAL;
      });
    const r = run('p1 open F "f" O_RDWR\np1 read F 10\np1 pread F 4096 5\np1 pread F -1 5', k);
    expect(r.lines).toEqual(['1: ok', '2: "a\\x22\\x00\\xff"', '3: "page1"', '4: -EINVAL']);
    expect(k.scenarioCalls[1]).toMatchObject({ name: 'read', args: [3, expect.any(Number), 10] });
    expect(k.scenarioCalls[2]).toMatchObject({ name: 'pread64', args: [3, expect.any(Number), 5, 4096] });
  });

  it('prints "" for a read at end of file and refuses a read larger than the stack', () => {
    const r = run('p1 open F "f" O_RDWR\np1 read F 0\np1 read F 10\np1 read F 1G');
    expect(r.lines).toEqual(['1: ok', '2: ""', '3: ""']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^4: scenario error: read LEN 1073741824 is more than the runner reads at once/);
  });

  it('prints lseek offsets, fstat size and nlink, ftruncate, unlink and dup', () => {
    const k = new FakeKernel()
      .on('lseek', ({ args }) => (args[1]! < 0 ? -Errno.EINVAL : args[1]!))
      .on('fstat', ({ pid, args, kernel }) => {
        const st = new Uint8Array(STAT.size);
        const v = new DataView(st.buffer);
        v.setBigInt64(STAT.st_size, 8192n, true);
        v.setBigUint64(STAT.st_nlink, 2n, true);
        kernel.copyOut(pid, args[1]!, st);
        return 0;
      });
    const r = run(
      'p1 open F "f" O_RDWR\np1 lseek F 2 SEEK_SET\np1 lseek F -1 SEEK_SET\np1 fstat F\np1 ftruncate F 5\np1 dup F G\np1 close G\np1 unlink "f"',
      k,
    );
    expect(r.lines).toEqual(['1: ok', '2: 2', '3: -EINVAL', '4: size=8192 nlink=2', '5: ok', '6: ok', '7: ok', '8: ok']);
    expect(k.names()).toEqual(['open', 'lseek', 'lseek', 'fstat', 'ftruncate', 'dup', 'close', 'unlink']);
    expect(k.scenarioCalls[1]!.args).toEqual([3, 2, 0]);
    expect(k.scenarioCalls[4]!.args).toEqual([3, 5]);
    expect(k.scenarioCalls[5]!.args).toEqual([3]);
    expect(k.scenarioCalls[6]!.args).toEqual([4]);
    expect(k.scenarioCalls[7]!.path).toBe('f');
  });
});

describe('shm_open and shm_unlink (as glibc)', () => {
  it('opens /dev/shm/NAME with O_NOFOLLOW|O_CLOEXEC added', () => {
    const k = new FakeKernel();
    const r = run('p1 shm_open S "/seg" O_RDWR|O_CREAT 0600\np1 shm_open T "//seg" O_RDONLY\np1 shm_unlink "/seg"', k);
    expect(r.lines).toEqual(['1: ok', '2: ok', '3: ok']);
    const [a, b, c] = k.scenarioCalls;
    expect(a).toMatchObject({ name: 'open', path: '/dev/shm/seg', args: [expect.any(Number), O.O_RDWR | O.O_CREAT | O.O_NOFOLLOW | O.O_CLOEXEC, 0o600] });
    expect(b).toMatchObject({ path: '/dev/shm/seg', args: [expect.any(Number), O.O_NOFOLLOW | O.O_CLOEXEC, 0o666] });
    expect(c).toMatchObject({ name: 'unlink', path: '/dev/shm/seg' });
  });

  it('answers bad names itself, without a syscall', () => {
    const k = new FakeKernel();
    const long = 'x'.repeat(300);
    const r = run(
      [
        'p1 shm_open S "" O_RDWR',
        'p1 shm_open S "/" O_RDWR',
        'p1 shm_open S "/a/b" O_RDWR',
        `p1 shm_open S "/${long}" O_RDWR`,
        'p1 shm_unlink ""',
        'p1 shm_unlink "/a/b"',
        `p1 shm_unlink "/${long}"`,
        'p1 close S',
      ].join('\n'),
      k,
    );
    expect(r.lines).toEqual(['1: -EINVAL', '2: -EINVAL', '3: -EINVAL', '4: -EINVAL', '5: -ENOENT', '6: -ENOENT', '7: -ENOENT']);
    expect(r.stderr).toBe('8: scenario error: S is unbound (its shm_open on line 4 failed)\n');
    expect(k.scenarioCalls).toEqual([]);
  });

  it('maps EISDIR to EINVAL (shm_open) and EPERM to EACCES (shm_unlink)', () => {
    const k = new FakeKernel().on('open', () => -Errno.EISDIR).on('unlink', () => -Errno.EPERM);
    expect(run('p1 shm_open S "/d" O_RDWR\np1 shm_unlink "/d"', k).lines).toEqual(['1: -EINVAL', '2: -EACCES']);
    const k2 = new FakeKernel().on('open', () => -Errno.EACCES).on('unlink', () => -Errno.ENOENT);
    expect(run('p1 shm_open S "/d" O_RDWR\np1 shm_unlink "/d"', k2).lines).toEqual(['1: -EACCES', '2: -ENOENT']);
  });
});

describe('memory', () => {
  it('mmaps with raw arguments, binds the address, and resolves M+OFF', () => {
    const k = new FakeKernel();
    const r = run(
      [
        `p1 mmap R ${R} 1M PROT_NONE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED -1 0`,
        'p1 open F "f" O_RDWR',
        'p1 mmap A R+4K 8K PROT_READ|PROT_WRITE MAP_SHARED|MAP_FIXED F 4K',
        'p1 munmap A+4K 4K',
        'p1 mprotect A 4K PROT_READ',
        'p1 msync A 4K MS_SYNC',
        'p1 madvise A 4K MADV_DONTNEED',
        'p1 mremap B A 4K 8K MREMAP_MAYMOVE|MREMAP_FIXED R+64K',
        'p1 mremap C B 8K 4K 0',
        'p1 eq B R+64K',
        'p1 eq A B',
        'p1 eq 0 0',
      ].join('\n'),
      k.on('mremap', ({ args }) => (args[4] === 0 ? args[0]! : args[4]!)),
    );
    expect(r.lines).toEqual(['1: ok', '2: ok', '3: ok', '4: ok', '5: ok', '6: ok', '7: ok', '8: ok', '9: ok', '10: true', '11: false', '12: true']);
    const c = k.scenarioCalls;
    expect(c[0]!.args).toEqual([R, 1 << 20, 0, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED, -1, 0]);
    expect(c[2]!.args).toEqual([R + 4096, 8192, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED | MAP.MAP_FIXED, 3, 4096]);
    expect(c[3]).toMatchObject({ name: 'munmap', args: [R + 8192, 4096] });
    expect(c[4]).toMatchObject({ name: 'mprotect', args: [R + 4096, 4096, 1] });
    expect(c[5]).toMatchObject({ name: 'msync', args: [R + 4096, 4096, 4] });
    expect(c[6]).toMatchObject({ name: 'madvise', args: [R + 4096, 4096, 4] });
    expect(c[7]).toMatchObject({ name: 'mremap', args: [R + 4096, 4096, 8192, 3, R + 65536] });
    expect(c[8]).toMatchObject({ name: 'mremap', args: [R + 65536, 8192, 4096, 0, 0] });
  });

  it('unbinds a failed mmap name, stopping at its next use with the lines before printed', () => {
    const r = run(
      'p1 mmap A 0 4K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 poke A "x"\np1 mmap A 0 0 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 peek A 1\np1 peek A 1',
    );
    expect(r.transcript).toBe('1: ok\n2: ok\n3: -EINVAL\n');
    expect(r.stderr).toBe('4: scenario error: A is unbound (its mmap on line 3 failed)\n');
    expect(r.status).toBe(2);
  });

  it('pokes, fills, peeks and sums, printing SIGSEGV and SIGBUS', () => {
    const k = new FakeKernel();
    const r = run(
      [
        'p1 mmap A 0 8K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS -1 0',
        'p1 poke A "a"',
        'p1 sum A 1',
        'p1 sum A 0',
        'p1 fill A+1 3 0x41',
        'p1 peek A 5',
        'p1 peek A 0',
        'p1 peek A-1 1',
        'p1 poke A+8K "x"',
        'p1 fill A+8191 2 0',
        'p1 sum A 8193',
        'p1 mmap B 0 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS -1 0',
        'p1 poke B "x"',
        'p1 peek B 1',
      ].join('\n'),
      k,
    );
    expect(r.lines).toEqual([
      '1: ok',
      '2: ok',
      '3: fnv=0xe40c292c',
      '4: fnv=0x811c9dc5',
      '5: ok',
      '6: "aAAA\\x00"',
      '7: ""',
      '8: SIGSEGV',
      '9: SIGSEGV',
      '10: SIGSEGV',
      '11: SIGSEGV',
      '12: ok',
      '13: SIGSEGV',
      '14: "\\x00"',
    ]);
    const bus = new FakeKernel();
    bus.on('mmap', ({ pid, kernel }) => {
      kernel.map(pid, R, 4096, { read: false, write: false, signal: Signal.SIGBUS });
      return R;
    });
    expect(run('p1 mmap A 0 4K PROT_READ MAP_SHARED -1 0\np1 peek A 1\np1 poke A "x"\np1 sum A 1\np1 fill A 1 1', bus).lines).toEqual([
      '1: ok',
      '2: SIGBUS',
      '3: SIGBUS',
      '4: SIGBUS',
      '5: SIGBUS',
    ]);
  });

  it('prints one mincore character per page from the low bit of the vector', () => {
    const k = new FakeKernel().on('mincore', ({ pid, args, kernel }) => {
      if (args[1]! < 0) return -Errno.ENOMEM;
      kernel.copyOut(pid, args[2]!, Uint8Array.of(1, 0, 3, 2, 0xff));
      return 0;
    });
    const r = run(`p1 mincore ${R} 4K\np1 mincore ${R} 16385\np1 mincore ${R} 0\np1 mincore ${R} -1`, k);
    expect(r.lines).toEqual(['1: 1', '2: 10101', '3: ', '4: -ENOMEM']);
    expect(k.scenarioCalls[1]!.args.slice(0, 2)).toEqual([R, 16385]);
  });
});

describe('maps', () => {
  const mapsText = `${R.toString(16)}-${(R + 8192).toString(16)} rw-s 00000000 00:01 7   /dev/shm/seg (deleted)\n`;

  it('reads /proc/self/maps with open, read and close', () => {
    let served = false;
    const k = new FakeKernel()
      .on('open', ({ fallback }) => fallback())
      .on('read', ({ pid, args, kernel }) => {
        if (served) return 0;
        served = true;
        kernel.copyOut(pid, args[1]!, mapsText);
        return mapsText.length;
      });
    const r = run(`p1 maps ${R} 12K\np1 maps ${R} 0`, k);
    expect(r.lines).toEqual(['1: +0x0..+0x2000 rw-s shm:/seg @0x0 (deleted); +0x2000..+0x3000 unmapped', '2: ']);
    expect(k.names()).toEqual(['open', 'read', 'read', 'close']);
    expect(k.scenarioCalls[0]).toMatchObject({ path: '/proc/self/maps', args: [expect.any(Number), O.O_RDONLY, 0] });
  });

  it('reads maps in chunks until end of file', () => {
    const text = Array.from({ length: 2000 }, (_, i) => {
      const s = R + i * 8192;
      return `${s.toString(16)}-${(s + 4096).toString(16)} r--p 00000000 00:00 0`;
    }).join('\n');
    let pos = 0;
    const k = new FakeKernel().on('read', ({ pid, args, kernel }) => {
      const n = Math.min(args[2]!, text.length - pos, 1000);
      kernel.copyOut(pid, args[1]!, text.slice(pos, pos + n));
      pos += n;
      return n;
    });
    expect(run(`p1 maps ${R + 1999 * 8192} 8K`, k).lines).toEqual(['1: +0x0..+0x1000 r--p anon; +0x1000..+0x2000 unmapped']);
  });

  it('describes files relative to the scratch directory', () => {
    const text = `${R.toString(16)}-${(R + 4096).toString(16)} r--p 00001000 00:01 9   /scratch-1/all.txt\n`;
    let served = false;
    const k = new FakeKernel().on('read', ({ pid, args, kernel }) => {
      if (served) return 0;
      served = true;
      kernel.copyOut(pid, args[1]!, text);
      return text.length;
    });
    expect(run(`p1 maps ${R} 4K`, k).lines).toEqual(['1: +0x0..+0x1000 r--p file:all.txt @0x1000']);
  });

  it('crashes clearly without procfs', () => {
    const k = new FakeKernel().on('open', () => -Errno.ENOENT);
    expect(() => run(`p1 maps ${R} 4K`, k)).toThrow(/open\("\/proc\/self\/maps"\) answered -ENOENT/);
  });
});

describe('processes', () => {
  it('forks, exits with the parent reaping, and execs /bin/scenario as the same pid', () => {
    const k = new FakeKernel();
    const r = run('p1 fork p2\np2 fork p3\np3 exit\np2 exec\np2 exit\np1 exit', k);
    expect(r.lines).toEqual(['1: ok', '2: ok', '3: ok', '4: ok', '5: ok', '6: ok']);
    const p1 = k.spawned[1]!.pid;
    const p2 = p1 + 1;
    const p3 = p1 + 2;
    expect(k.scenarioCalls.map((c) => [c.pid, c.name, c.name === 'execve' ? c.path : c.args[0]])).toEqual([
      [p1, 'fork', undefined],
      [p2, 'fork', undefined],
      [p3, 'exit_group', 0],
      [p2, 'wait4', p3],
      [p2, 'execve', '/bin/scenario'],
      [p2, 'exit_group', 0],
      [p1, 'wait4', p2],
      [p1, 'exit_group', 0],
    ]);
    expect(k.scenarioCalls[3]!.args).toEqual([p3, 0, 0, 0]);
    const execve = k.scenarioCalls[4]!;
    expect(execve.args.slice(1)).toEqual([0, 0]);
  });

  it('does not reap a child whose parent has exited', () => {
    const k = new FakeKernel();
    expect(run('p1 fork p2\np1 exit\np2 poke 0 "x"\np2 exit', k).lines).toEqual(['1: ok', '2: ok', '3: SIGSEGV', '4: ok']);
    expect(k.names()).toEqual(['fork', 'exit_group', 'exit_group']);
  });

  it('prints a failed fork and leaves its label unbound', () => {
    const k = new FakeKernel().on('fork', () => -Errno.EAGAIN);
    const r = run('p1 fork p2\np2 exit', k);
    expect(r.lines).toEqual(['1: -EAGAIN']);
    expect(r.stderr).toBe('2: scenario error: p2 is unbound (its fork on line 1 failed), not a process label\n');
  });

  it('prints a failed exec', () => {
    const k = new FakeKernel().on('execve', () => -Errno.ENOENT);
    expect(run('p1 exec', k).lines).toEqual(['1: -ENOENT']);
  });

  it('runs each process\'s operations as that process', () => {
    const k = new FakeKernel();
    run('p1 fork p2\np2 open F "x" O_RDONLY\np1 close F', k);
    const p1 = k.spawned[1]!.pid;
    expect(k.scenarioCalls.map((c) => c.pid)).toEqual([p1, p1 + 1, p1]);
  });
});

describe('scenario errors', () => {
  const cases: [string, string][] = [
    ['p1 frob', '1: scenario error: unknown operation frob'],
    ['p1 peek 0', '1: scenario error: peek takes 2 arguments (ADDR LEN), got 1'],
    ['p2 exit', '1: scenario error: unknown process p2 (processes are p1 and the labels given to fork)'],
    ['p1 peek A 1', '1: scenario error: A is unbound'],
    ['p1 close F', '1: scenario error: F is unbound'],
    ['p1 open F "x" O_RDONLY\np1 peek F 1', '2: scenario error: F is an fd variable, not a mapping variable'],
    ['p1 mmap A 0 4K 0 MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 close A', '2: scenario error: A is a mapping variable, not an fd variable'],
    ['p1 mmap A 0 4K 0 MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 mmap B 0 4K 0 MAP_PRIVATE A 0', '2: scenario error: A is a mapping variable, not an fd variable'],
    ['p1 close p1', '1: scenario error: p1 is a process label, not an fd variable'],
    ['p1 peek p1 1', '1: scenario error: p1 is a process label, not a mapping variable'],
    ['p1 open p1 "x" O_RDONLY', '1: scenario error: p1 is a process label; it cannot be bound as a variable'],
    ['p1 fork p2\np1 mmap p2 0 4K 0 MAP_PRIVATE|MAP_ANONYMOUS -1 0', '2: scenario error: p2 is a process label; it cannot be bound as a variable'],
    ['p1 open F "x" O_RDONLY\nF exit', '2: scenario error: F is an fd variable, not a process label'],
    ['p1 fork p1', '1: scenario error: fork label p1 was used before (a fork label must be new)'],
    ['p1 fork p2\np2 exit\np1 fork p2', '3: scenario error: fork label p2 was used before (a fork label must be new)'],
    ['p1 open F "x" O_RDONLY\np1 fork F', '2: scenario error: fork label F was used before (a fork label must be new)'],
    ['p1 fork p2\np2 exit\np2 peek 0 1', '3: scenario error: process p2 has exited'],
    ['p1 exit\np1 exit', '2: scenario error: process p1 has exited'],
    ['p1 fork p2\np2 exit\np2 eq 0 0', '3: scenario error: process p2 has exited'],
    ['p1 open F "/etc/passwd" O_RDONLY', expect.stringMatching(/^1: scenario error: open's PATH "\/etc\/passwd" is an absolute path outside/) as unknown as string],
    ['p1 fill 0 1 256', "1: scenario error: fill's BYTE 256 is out of range 0..255"],
    ['  => ok', "1: scenario error: '=>' without an operation"],
    ['p1 maps -1 1', '1: scenario error: maps ADDR must not be negative, got -1'],
  ];
  it.each(cases)('%j', (text, message) => {
    const r = run(text);
    expect(r.status).toBe(2);
    expect(r.stderr).toEqual(expect.stringMatching(/\n$/));
    expect(r.stderr.trimEnd()).toEqual(message);
  });

  it('runs the lines before the error and nothing after it', () => {
    const k = new FakeKernel();
    const r = run('p1 open F "a" O_RDONLY\n\n# c\np1 close F\np1 bogus\np1 close F', k);
    expect(r.transcript).toBe('1: ok\n4: ok\n');
    expect(r.stderr).toBe('5: scenario error: unknown operation bogus\n');
    expect(k.names()).toEqual(['open', 'close']);
  });

  it('does not run the syscall of a line with a binding error', () => {
    const k = new FakeKernel();
    run('p1 open F "a" O_RDONLY\np1 mmap F 0 4K 0 MAP_PRIVATE G 0', k);
    expect(k.names()).toEqual(['open']);
  });
});

describe('check', () => {
  it('compares results with inline expectations: status 1 and details on stderr', () => {
    const text = 'p1 eq 0 0 => true\np1 eq 0 1 => true   # wrong\np1 eq 0 0\np1 mincore 0 0 =>\np1 peek 0 0 => ""';
    const r = run(text, new FakeKernel(), true);
    expect(r.transcript).toBe('1: true\n2: false\n3: true\n4: \n5: ""\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('2: check failed: expected «true», got «false»\n');
  });

  it('ignores expectations without check', () => {
    const r = run('p1 eq 0 1 => true');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('gives status 2 when a scenario error follows a mismatch', () => {
    const r = run('p1 eq 0 1 => true\np1 nope', new FakeKernel(), true);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('1: check failed: expected «true», got «false»\n2: scenario error: unknown operation nope\n');
  });
});

describe('crashes, timeouts and streaming', () => {
  it('turns an exception from the kernel into a ScenarioCrash with its line and the transcript so far', () => {
    const k = new FakeKernel().on('munmap', () => {
      throw new TypeError('boom');
    });
    let crash: unknown;
    try {
      runScenario('p1 eq 0 0\np1 munmap 0 4K\np1 eq 0 0', { kernel: k, fileName: 'x.scn' });
    } catch (e) {
      crash = e;
    }
    expect(crash).toBeInstanceOf(ScenarioCrash);
    const c = crash as ScenarioCrash;
    expect(c.line).toBe(2);
    expect(c.transcript).toBe('1: true\n');
    expect(c.message).toBe('x.scn:2: tskern threw while running this line: TypeError: boom');
    expect((c.cause as Error).stack).toMatch(/boom/);
  });

  it('stops with ScenarioTimeout past the deadline', () => {
    expect(() => runScenario('p1 eq 0 0', { kernel: new FakeKernel(), deadline: Date.now() - 1 })).toThrow(ScenarioTimeout);
  });

  it('hands each line to the sink as soon as it is printed', () => {
    const events: string[] = [];
    const k = new FakeKernel().on('close', () => {
      events.push('syscall close');
      return 0;
    });
    const status = runScenarioStreaming('p1 eq 0 0\np1 open F "x" O_RDONLY\np1 close F\np1 oops', { kernel: k }, {
      transcript: (l) => events.push(`out ${l}`),
      diagnostic: (l) => events.push(`err ${l}`),
    });
    expect(status).toBe(2);
    expect(events).toEqual(['out 1: true', 'out 2: ok', 'syscall close', 'out 3: ok', 'err 4: scenario error: unknown operation oops']);
  });
});

describe('syscall numbers', () => {
  it('uses the x86-64 numbers of @tskern/abi', () => {
    const k = new FakeKernel();
    const seen: number[] = [];
    const orig = k.syscall.bind(k);
    k.syscall = (pid: number, nr: number, ...args: number[]) => {
      seen.push(nr);
      return orig(pid, nr, ...args);
    };
    runScenario('p1 fork p2\np2 exit', { kernel: k });
    expect(seen).toEqual([SYS.mkdir, SYS.chown, SYS.exit_group, SYS.fork, SYS.exit_group, SYS.wait4]);
  });
});
