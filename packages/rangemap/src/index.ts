/**
 * @tskern/rangemap: a balanced range map with O(log n) gap search, the
 * structure behind per-process VMA sets.
 */
export { RangeMap } from './rangemap';
export type {
  CanMerge,
  FindGapOptions,
  Gap,
  MergeValues,
  RangeMapOptions,
  SegmentVisitor,
  SplitValue,
} from './rangemap';
export { Segment } from './segment';
