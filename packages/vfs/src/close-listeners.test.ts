import { O } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { FdTable } from './index';
import { openOk, world } from './testing/world';

describe('close and release listeners (filp_flush, __fput)', () => {
  it('a table tells its listeners of every close; a description of its last release', () => {
    const { vfs, user } = world();
    const table = new FdTable();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    const g = openOk(vfs, user, 'g', O.O_CREAT | O.O_RDWR);
    const events: string[] = [];
    table.addCloseListener((file, files) => events.push(`close ${file === f ? 'f' : 'g'} ${files === table}`));
    f.addReleaseListener(() => events.push('release f'));
    const a = table.install(f, false);
    const b = table.dup(a);
    const c = table.install(g, true);
    expect(table.close(a)).toBe(0);
    expect(events).toEqual(['close f true']);
    expect(table.dup2(c, b)).toBe(b); // closes f's last descriptor
    expect(events).toEqual(['close f true', 'close f true', 'release f']);
    table.execCloseOnExec();
    expect(events.at(-1)).toBe('close g true');
    const child = table.fork();
    child.closeAll();
    expect(events).toHaveLength(4); // a forked copy has no listeners
    table.closeAll();
    expect(events.at(-1)).toBe('close g true');
  });
});
