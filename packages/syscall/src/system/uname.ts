import { CAP, Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { capable } from '@tskern/vfs';
import { systemConfig, UTS_SYSNAME } from './system-config';

/** __NEW_UTS_LEN: each field of struct new_utsname holds 64 bytes and a NUL. */
const UTS_LEN = 64;
const FIELD = UTS_LEN + 1;

function putField(out: Uint8Array, index: number, text: string): void {
  const n = Math.min(text.length, UTS_LEN);
  for (let i = 0; i < n; i++) out[index * FIELD + i] = text.charCodeAt(i) & 0xff;
}

/**
 * uname(2) (kernel/sys.c newuname): struct new_utsname, six fields of 65
 * bytes — sysname "Linux", nodename, release, version, machine (the
 * caller's architecture: "x86_64" or "riscv64"), domainname. EFAULT when
 * the buffer is not writable.
 */
export function sysUname(task: Task, buf: number): number {
  const c = systemConfig(task);
  const out = new Uint8Array(6 * FIELD);
  [ UTS_SYSNAME, c.hostname, c.release, c.version, task.abi.name, c.domainname ].forEach((text, i) => putField(out, i, text));
  return task.mem.copyOut(buf, out, 0, out.length) < 0 ? -Errno.EFAULT : 0;
}

/**
 * sethostname(2) and setdomainname(2): CAP_SYS_ADMIN over the UTS
 * namespace first (EPERM), then EINVAL for a length below 0 or above 64,
 * then the bytes (EFAULT); the name is exactly those bytes (NULs included,
 * as the rest of the field is cleared).
 */
function setUtsName(task: Task, name: number, len: number, field: 'hostname' | 'domainname'): number {
  if (!capable(task.cred, CAP.CAP_SYS_ADMIN)) return -Errno.EPERM;
  if (len < 0 || len > UTS_LEN) return -Errno.EINVAL;
  const bytes = new Uint8Array(len);
  if (len > 0 && task.mem.copyIn(name, bytes, 0, len) < 0) return -Errno.EFAULT;
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  systemConfig(task)[field] = text;
  return 0;
}

/** sethostname(2). */
export function sysSethostname(task: Task, name: number, len: number): number {
  return setUtsName(task, name, len, 'hostname');
}

/** setdomainname(2). */
export function sysSetdomainname(task: Task, name: number, len: number): number {
  return setUtsName(task, name, len, 'domainname');
}
