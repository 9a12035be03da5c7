// Summaries of repeated measurements.

export interface Summary {
  n: number;
  min: number;
  median: number;
  max: number;
  samples: number[];
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: number[]): Summary {
  const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : v); // 4 digits
  return {
    n: samples.length,
    min: round(samples.length ? Math.min(...samples) : NaN),
    median: round(median(samples)),
    max: round(samples.length ? Math.max(...samples) : NaN),
    samples: samples.map(round),
  };
}

/** Rotates the order of the contenders each round, so none always runs first or last. */
export function rotated<T>(items: T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export function seconds(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—';
}

export function millis(ms: number): string {
  return Number.isFinite(ms) ? `${Math.round(ms)} ms` : '—';
}
