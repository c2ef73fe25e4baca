// CPU time of another process: what a server spends per request stays comparable on a shared
// machine, where wall-clock throughput also measures whoever else holds the cores.
import { readFile } from 'node:fs/promises';

/** User + system CPU seconds the process has used so far (Linux /proc). */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
