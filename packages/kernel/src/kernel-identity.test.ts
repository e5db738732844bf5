import { describe, expect, it } from 'vitest';
import { SYS } from '@tskern/abi';
import { createKernel } from './kernel';
import { kernelConfigOf } from './kernel-config';
import { readProcessFile } from './testing/read-file';

describe('/sys of a kernel', () => {
  it('is mounted beside /proc with KSM stopped and the CPU masks of the CPUs the kernel claims', () => {
    const k = createKernel({ cpus: 3 });
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    expect(readProcessFile(k, p, '/sys/kernel/mm/ksm/run')).toBe('0\n');
    expect(readProcessFile(k, p, '/sys/kernel/mm/ksm/pages_sharing')).toBe('0\n');
    expect(readProcessFile(k, p, '/sys/devices/system/cpu/online')).toBe('0-2\n');
    expect(readProcessFile(k, p, '/proc/mounts')).toContain('sysfs /sys sysfs rw,nosuid,nodev,noexec');
    // ext4 is built in: its feature files read "supported" (Linux 6.18: `cat /sys/fs/ext4/features/lazy_itable_init`).
    expect(readProcessFile(k, p, '/sys/fs/ext4/features/lazy_itable_init')).toBe('supported\n');
    expect(readProcessFile(k, p, '/sys/fs/ext4/features/metadata_csum_seed')).toBe('supported\n');
    // sched_getaffinity's mask counts the same three CPUs.
    const { end } = k.stack(p);
    expect(k.syscall(p, SYS.sched_getaffinity, 0, 8, end - 8192)).toBe(8);
    const mask = new Uint8Array(8);
    k.load(p, end - 8192, mask);
    expect(mask[0]).toBe(0b111);
  });
});

describe('the kernel configuration', () => {
  it('follows the syscall table: an option is set exactly when its syscall is served', () => {
    const k = createKernel();
    const config = k.config();
    expect(config.get('CONFIG_SYSVIPC')).toBe('y');
    expect(config.get('CONFIG_ADVISE_SYSCALLS')).toBe('y');
    expect(config.get('CONFIG_KSM')).toBe('y');
    expect(config.get('CONFIG_RISCV')).toBe('y');
    expect(config.get('CONFIG_MEMORY_FAILURE')).toBeUndefined();
    // userfaultfd may or may not be served yet; registering a handler of that name turns it on.
    expect(['y', 'n']).toContain(config.get('CONFIG_USERFAULTFD'));
    k.registerSyscall(282, { name: 'userfaultfd', args: ['int'], handler: () => 3 }, 'riscv64');
    expect(k.config().get('CONFIG_USERFAULTFD')).toBe('y');
    expect(k.config('x86_64').get('CONFIG_X86_64')).toBe('y');
    expect(k.config('x86_64').get('CONFIG_RISCV')).toBeUndefined();
  });

  it('prints Linux .config lines and names the release in the banner', () => {
    const text = kernelConfigOf({ machine: 'riscv64', release: '6.18.0-tskern', syscalls: new Set(['madvise']), nrCpus: 64, defaultHostname: '(none)' }).text();
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual(['#', '# Automatically generated file; DO NOT EDIT.', '# Linux/riscv 6.18.0 Kernel Configuration', '#']);
    expect(lines).toContain('CONFIG_LOCALVERSION="-tskern"');
    expect(lines).toContain('CONFIG_ADVISE_SYSCALLS=y');
    expect(lines).toContain('# CONFIG_SYSVIPC is not set');
    expect(lines).toContain('CONFIG_NR_CPUS=64');
    expect(lines).toContain('# CONFIG_HUGETLBFS is not set');
    expect(text).not.toContain('MEMORY_FAILURE');
  });

  it('installs as /boot/config-RELEASE, root\'s and read-only, once', () => {
    const k = createKernel();
    expect(k.installBootConfig()).toBe(0);
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    const text = readProcessFile(k, p, '/boot/config-6.18.0-tskern');
    expect(text).toBe(k.config().text());
    expect(k.installBootConfig()).toBeLessThan(0);
    const st = k.vfs.stat(k.vfs.kernelTask(), '/boot/config-6.18.0-tskern', true);
    expect(typeof st === 'number' ? st : st.mode & 0o7777).toBe(0o444);
  });
});
