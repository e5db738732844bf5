/**
 * One sysfs attribute file (a `struct kobj_attribute`): `show` makes its
 * text, and `store`, when the attribute is writable, takes what was written
 * and answers 0 or `-errno` (Linux's store answers the count or -errno; the
 * file system answers the count for it).
 */
export interface SysAttribute {
  readonly name: string;
  show(): string;
  store?(text: string): number;
}
