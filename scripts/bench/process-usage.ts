// What a running child has used so far, read from Linux's /proc (undefined elsewhere): CPU time summed over
// all its threads (V8 compiles and collects garbage on helper threads) and its peak resident memory.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessUsage {
  /** CPU time of all threads, ms (from /proc/<pid>/task/<tid>/schedstat, nanosecond resolution). */
  readonly cpuMs?: number;
  /** Peak resident set size (VmHWM), MB. */
  readonly peakRssMb?: number;
}

export function processUsage(pid: number | undefined): ProcessUsage {
  if (pid === undefined || process.platform !== "linux") return {};
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // The thread ended between listing and reading.
      }
    }
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return { cpuMs: ns / 1e6, peakRssMb: hwm ? Number(hwm[1]) / 1024 : undefined };
  } catch {
    return {};
  }
}

/** CPU time of `pid` and every process below it (`serve --workers N`: the primary and its workers), ms. */
export function processTreeCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== "linux") return undefined;
  const own = processUsage(pid).cpuMs;
  if (own === undefined) return undefined;
  let total = own;
  for (const child of childrenOf(pid)) total += processTreeCpuMs(child) ?? 0;
  return total;
}

// Children are listed per thread (/proc/<pid>/task/<tid>/children): a child belongs to the thread that forked it.
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        children.push(...readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number));
      } catch {
        // The thread ended between listing and reading.
      }
    }
  } catch {
    // The process ended.
  }
  return children;
}
