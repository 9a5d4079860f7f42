import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type * as z from 'zod';
import { repoRoot, resultsDir } from './config.ts';

/** Children print their result as one line with this prefix; everything else on stdout is their log. */
const RESULT_PREFIX = 'BENCH_RESULT ';

export function emitResult(value: unknown): void {
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(value)}\n`);
}

/**
 * Runs a TypeScript script under test/bench/ in a fresh Node process (through tsx, as the local runtime
 * runs the handlers), appends its output to results/<log>.log, and parses its result line with `schema`.
 */
export async function runChild<S extends z.ZodType>(
  script: string,
  args: string[],
  schema: S,
  options: { log: string; nodeArgs?: string[]; env?: Record<string, string>; timeoutMs?: number },
): Promise<z.infer<S>> {
  mkdirSync(resultsDir, { recursive: true });
  const log = createWriteStream(path.join(resultsDir, `${options.log}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path.join('test', 'bench', script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let resultLine: string | undefined;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(RESULT_PREFIX)) resultLine = line.slice(RESULT_PREFIX.length);
      else log.write(`${line}\n`);
    }
  });
  child.stderr.pipe(log, { end: false });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (buffered.startsWith(RESULT_PREFIX)) resultLine = buffered.slice(RESULT_PREFIX.length);
  log.end();
  if (code !== 0 || !resultLine) throw new Error(`${script} exited with ${code}${resultLine ? '' : ' without a result'}; see test/bench/results/${options.log}.log`);
  return schema.parse(JSON.parse(resultLine));
}
