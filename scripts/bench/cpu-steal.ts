// CPU steal: time the hypervisor gave this virtual machine's CPUs to other guests. On a shared cloud machine it
// is what moves throughput and latency tails from one run to the next (a 5-second row ran at 10,000 requests/s
// with no steal and at 4,000 with a third of the time stolen), so each figure it may have bent is printed with it.
import { readFileSync } from "node:fs";

/** The machine's CPU time so far, all CPUs, in clock ticks (Linux's /proc/stat); undefined elsewhere. */
export interface CpuTicks {
  readonly steal: number;
  readonly total: number;
}

export function cpuTicks(): CpuTicks | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    return parseCpuTicks(readFileSync("/proc/stat", "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The aggregate `cpu` line: user nice system idle iowait irq softirq steal [guest guest_nice]. Guest time is already
 * counted in user and nice, so the total is the first eight; a kernel too old to report steal has no such column.
 */
export function parseCpuTicks(procStat: string): CpuTicks | undefined {
  const line = procStat.split("\n").find((l) => l.startsWith("cpu "));
  const fields = line?.trim().split(/\s+/).slice(1, 9).map(Number);
  if (!fields || fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
  return { steal: fields[7], total: fields.reduce((sum, n) => sum + n, 0) };
}

/** Steal as a share of all CPU time between two readings, %; undefined when either is missing or no time passed. */
export function stealShare(from: CpuTicks | undefined, to: CpuTicks | undefined): number | undefined {
  if (!from || !to || to.total <= from.total) return undefined;
  return (100 * (to.steal - from.steal)) / (to.total - from.total);
}
