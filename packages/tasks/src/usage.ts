/** CPU time (ns), the largest resident set (bytes) and the page faults of tasks or processes, as getrusage sums them. */
export interface UsageTotals {
  userNs: number;
  systemNs: number;
  maxRssBytes: number;
  minorFaults: number;
}

/** Usage of nothing yet. */
export function emptyUsage(): UsageTotals {
  return { userNs: 0, systemNs: 0, maxRssBytes: 0, minorFaults: 0 };
}

/** Add `more` into `into`: times and faults add up, the resident sets take the larger (as wait_task_zombie does for cmaxrss). */
export function addUsage(into: UsageTotals, more: UsageTotals): void {
  into.userNs += more.userNs;
  into.systemNs += more.systemNs;
  into.minorFaults += more.minorFaults;
  into.maxRssBytes = Math.max(into.maxRssBytes, more.maxRssBytes);
}
