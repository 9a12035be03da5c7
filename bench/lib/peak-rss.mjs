// The process's own peak resident memory, in MiB. Not process.resourceUsage().maxRSS: Linux
// carries the parent's peak over a fork and exec into it (exec_mmap keeps the old mm's high-water
// mark), so a child spawned by a bench process of 150 MiB reported 156 MiB before it allocated
// anything. /proc/self/status's VmHWM belongs to the address space exec made; maxRSS elsewhere.
import { readFileSync } from 'node:fs';

/** @returns {number} */
export function peakRssMiB() {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kib) return Number(kib) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}
