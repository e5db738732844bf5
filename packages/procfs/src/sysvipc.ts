import { Errno, S } from '@tskern/abi';
import type { Clock, DirEntry, FileSystem, Inode } from '@tskern/vfs';
import { ProcFixedFile } from './proc-fixed-file';
import { ProcDirectory } from './proc-nodes';

/** One System V shared memory segment as /proc/sysvipc/shm lists it. */
export interface SysvShmFigures {
  readonly key: number;
  readonly shmid: number;
  /** shm_perm.mode, SHM_DEST and SHM_LOCKED included. */
  readonly perms: number;
  readonly size: number;
  readonly cpid: number;
  readonly lpid: number;
  readonly nattch: number;
  readonly uid: number;
  readonly gid: number;
  readonly cuid: number;
  readonly cgid: number;
  readonly atime: number;
  readonly dtime: number;
  readonly ctime: number;
  /** Resident bytes. */
  readonly rssBytes: number;
}

const HEADER =
  '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n';

/**
 * The text of /proc/sysvipc/shm as ipc/shm.c:sysvipc_shm_proc_show writes it
 * on a 64-bit kernel (sizes in 21 columns), matched against the host's file:
 * the header, then a line per segment in id-table order; nothing is swapped.
 */
export function formatSysvShm(rows: readonly SysvShmFigures[]): string {
  const r = (n: number, w: number): string => String(n).padStart(w);
  let out = HEADER;
  for (const s of rows) {
    out += `${r(s.key | 0, 10)} ${r(s.shmid, 10)}  ${(s.perms & 0o7777).toString(8).padStart(4)} ${r(s.size, 21)} ${r(s.cpid, 5)} ${r(s.lpid, 5)}  ${r(s.nattch, 5)}`;
    out += ` ${r(s.uid, 5)} ${r(s.gid, 5)} ${r(s.cuid, 5)} ${r(s.cgid, 5)} ${r(s.atime, 10)} ${r(s.dtime, 10)} ${r(s.ctime, 10)} ${r(s.rssBytes, 21)} ${r(0, 21)}\n`;
  }
  return out;
}

/** /proc/sysvipc (ipc/util.c ipc_init_proc_interface): root-owned 0555, holding `shm` here. */
export class ProcSysvipcDir extends ProcDirectory {
  readonly uid = 0;
  readonly gid = 0;
  private readonly shm: ProcFixedFile;

  constructor(fs: FileSystem, ino: number, shmIno: number, clock: Clock, rows: () => readonly SysvShmFigures[]) {
    super(fs, ino, clock);
    this.shm = new ProcFixedFile(fs, shmIno, clock, () => formatSysvShm(rows()));
  }

  get mode(): number {
    return S.S_IFDIR | 0o555;
  }

  get nlink(): number {
    return 2;
  }

  lookupChild(name: string): Inode | number {
    return name === 'shm' ? this.shm : -Errno.ENOENT;
  }

  *entries(offset: number): Iterable<DirEntry> {
    if (offset <= 2) yield { name: 'shm', ino: this.shm.ino, type: S.S_IFREG, offset: 2 };
  }
}
