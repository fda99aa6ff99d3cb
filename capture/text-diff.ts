// Two texts aligned with the first differing character marked: AWS's (or the expectation's) above, ecs-pull's
// below, a caret under the first difference — a ready fidelity bug report. Pure.

/** Index of the first character where the texts differ (the shorter one's length when one is a prefix). */
export function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const WINDOW_BEFORE = 40;
const WINDOW_AFTER = 80;
const visible = (s: string) => s.replace(/\n/g, "⏎").replace(/\t/g, "⇥");

/** Lines showing both texts around their first difference, e.g. for `expected` vs `actual` of one field. */
export function alignedDiff(expected: string, actual: string, labels: [string, string] = ["AWS", "ecs-pull"]): string[] {
  const at = firstDifference(expected, actual);
  if (at < 0) return [`${labels[0]} and ${labels[1]} are identical`];
  const start = Math.max(0, at - WINDOW_BEFORE);
  const cut = (s: string) => `${start > 0 ? "…" : ""}${visible(s.slice(start, at + WINDOW_AFTER))}${s.length > at + WINDOW_AFTER ? "…" : ""}`;
  const width = Math.max(labels[0].length, labels[1].length) + 2;
  const pad = (l: string) => `${l}:`.padEnd(width);
  return [
    `${pad(labels[0])}${cut(expected)}`,
    `${pad(labels[1])}${cut(actual)}`,
    `${" ".repeat(width + (start > 0 ? 1 : 0) + (at - start))}^ first difference at character ${at + 1}`,
  ];
}
