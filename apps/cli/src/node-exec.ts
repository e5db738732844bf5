import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeHostFolder } from '@tskern/kernel/node';
import { hostCpuTicks } from '@tskern/runtime/node';
import { runExec, type ExecHost } from './exec-command';
import { nodeHostStreams } from './node-stdio';

/** `tskern exec` on Node: host paths against `userDirectory`, hostfs over node:fs, fds 0-2 through readSync/writeSync. */
export function runNodeExec(args: readonly string[], userDirectory: string): number {
  const host: ExecHost = {
    streams: nodeHostStreams,
    stdout: (text) => nodeHostStreams.write(1, new TextEncoder().encode(text), 0, Buffer.byteLength(text)),
    stderr: (text) => nodeHostStreams.write(2, new TextEncoder().encode(text), 0, Buffer.byteLength(text)),
    resolve: (path) => resolve(userDirectory, path),
    kind: (path) => {
      try {
        const st = statSync(path);
        return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
      } catch {
        return 'missing';
      }
    },
    canonical: (path) => realpathSync(path),
    folder: (path, readOnly) => nodeHostFolder(path, { readOnly }),
    cpuTicks: hostCpuTicks(),
  };
  return runExec(args, host);
}
