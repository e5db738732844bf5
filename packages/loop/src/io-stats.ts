/**
 * A disk's I/O counters, as /sys/block/<disk>/stat shows them
 * (Documentation/block/stat.rst): completed requests and 512-byte sectors
 * per direction, plus flushes. tskern's requests take no simulated time, so
 * each counts as one millisecond: io_ticks is non-zero once the disk has
 * done any I/O, as on Linux where a request is accounted at least a jiffy.
 */
export class IoStats {
  readIos = 0;
  readSectors = 0;
  writeIos = 0;
  writeSectors = 0;
  discardIos = 0;
  discardSectors = 0;
  flushIos = 0;

  read(bytes: number): void {
    this.readIos++;
    this.readSectors += Math.ceil(bytes / 512);
  }

  write(bytes: number): void {
    this.writeIos++;
    this.writeSectors += Math.ceil(bytes / 512);
  }

  discard(bytes: number): void {
    this.discardIos++;
    this.discardSectors += Math.ceil(bytes / 512);
  }

  flush(): void {
    this.flushIos++;
  }

  /** part_stat_show: 17 fields, "%8lu %8lu %8llu %8u ..." (ticks in ms, none in flight). */
  format(): string {
    const ioTicks = this.readIos + this.writeIos + this.discardIos + this.flushIos;
    const fields = [
      this.readIos, 0, this.readSectors, this.readIos,
      this.writeIos, 0, this.writeSectors, this.writeIos,
      0, ioTicks, ioTicks,
      this.discardIos, 0, this.discardSectors, this.discardIos,
      this.flushIos, this.flushIos,
    ];
    return `${fields.map((n) => String(n).padStart(8)).join(' ')}\n`;
  }
}
