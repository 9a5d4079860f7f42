import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticks: number | undefined;
/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on Linux when it cannot be asked). */
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far; 0 when it is gone or /proc is missing. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = statFields(pid);
  // After the name: state(0) ppid(1) … utime(11) stime(12).
  return fields ? (Number(fields[11]) + Number(fields[12])) / clockTicks() : 0;
}

/** Direct children of a process, found through their parent id in /proc. */
export function childPids(pid: number): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((candidate) => Number(statFields(candidate)?.[1]) === pid);
  } catch {
    return [];
  }
}

/** Measures CPU use of processes over a span of work: cores busy on average (CPU seconds per wall second). */
export async function coresUsed<T>(pids: Record<string, number | undefined>, work: () => Promise<T>): Promise<{ value: T; cores: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, name === 'bench' ? process.cpuUsage() : cpuSeconds(pid)]));
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  const cores: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const start = before[name]!;
    const used =
      name === 'bench'
        ? (() => {
            const now = process.cpuUsage(start as NodeJS.CpuUsage);
            return (now.user + now.system) / 1e6;
          })()
        : cpuSeconds(pid) - (start as number);
    cores[name] = Math.round((used / seconds) * 100) / 100;
  }
  return { value, cores };
}
