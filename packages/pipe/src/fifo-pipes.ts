import type { Inode } from '@tskern/vfs';
import { Pipe } from './pipe';

/** What a pipe end needs of the inode it belongs to: its pipe and its times. */
export interface PipeHolder {
  readonly pipe: Pipe;
  /** A read moved data: atime (file_accessed). */
  accessed(): void;
  /** A write moved data: mtime and ctime (file_update_time). */
  touch(): void;
}

/**
 * The pipe of a FIFO while it is open (inode->i_pipe): made by the first
 * open, dropped (with whatever was unread) when the last end closes, as
 * fifo_open and put_pipe_info do. `readerOpens`/`writerOpens` count every
 * open of an end (r_counter, w_counter), which a blocking open waits to see
 * change.
 */
export class FifoPipe implements PipeHolder {
  readonly pipe: Pipe;
  readerOpens = 0;
  writerOpens = 0;

  constructor(readonly inode: Inode) {
    this.pipe = new Pipe(`fifo:[${inode.ino}]`);
  }

  accessed(): void {
    this.inode.accessed?.();
  }

  touch(): void {
    this.inode.setattr({ mtime: 'now' });
  }
}

const open = new WeakMap<Inode, FifoPipe>();

/** The pipe of the FIFO `inode`, made when `create`; null when it is not open. */
export function fifoPipeOf(inode: Inode, create = false): FifoPipe | null {
  let p = open.get(inode) ?? null;
  if (p === null && create) {
    p = new FifoPipe(inode);
    open.set(inode, p);
  }
  return p;
}

/** The FIFO's last end closed: its pipe goes (free_pipe_info). */
export function dropFifoPipe(p: FifoPipe): void {
  if (p.pipe.readers === 0 && p.pipe.writers === 0 && open.get(p.inode) === p) open.delete(p.inode);
}
