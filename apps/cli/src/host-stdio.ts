import { Errno } from '@tskern/abi';
import type { CharDevice } from '@tskern/devices';

/** The host's standard streams, as `tskern exec` hands them to the program. */
export interface HostStreams {
  /** Read from host fd 0; 0 at end of file, -errno on failure. */
  read(dst: Uint8Array, offset: number, length: number): number;
  /** Write to host fd `fd` (1 or 2); the count written or -errno. */
  write(fd: 1 | 2, src: Uint8Array, offset: number, length: number): number;
}

/** "Local/experimental use" character majors (Documentation/admin-guide/devices.txt): not a real driver's number. */
const HOST_MAJOR = 240;

/**
 * /dev/host-stdin, /dev/host-stdout and /dev/host-stderr: character
 * devices over the host's fds 0, 1 and 2, without a position (as a
 * terminal or pipe), that `tskern exec` opens as the program's fds 0, 1, 2.
 */
export function hostStdioDevices(streams: HostStreams): CharDevice[] {
  const output = (name: string, minor: number, fd: 1 | 2): CharDevice => ({
    name, major: HOST_MAJOR, minor, mode: 0o666,
    open: () => ({
      stream: true,
      read: () => -Errno.EBADF,
      write: (_pos, src, off, length) => streams.write(fd, src, off, length),
    }),
  });
  return [
    {
      name: 'host-stdin', major: HOST_MAJOR, minor: 0, mode: 0o666,
      open: () => ({
        stream: true,
        read: (_pos, dst, off, length) => streams.read(dst, off, length),
        write: () => -Errno.EBADF,
      }),
    },
    output('host-stdout', 1, 1),
    output('host-stderr', 2, 2),
  ];
}
