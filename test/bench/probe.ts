import { intakeBenchmark } from './intake.ts';
import { startBenchRuntime } from './support/runtime.ts';

const runtime = await startBenchRuntime();
console.log('runtime healthy in', runtime.startedInMs, 'ms; NODE_OPTIONS=', process.env.NODE_OPTIONS);
try {
  const t = Date.now();
  const out = await intakeBenchmark({ runs: 1, count: 1000, concurrency: 16, sessions: 20, progress: (l) => console.log(new Date().toISOString(), l) });
  console.log(JSON.stringify(out.result, null, 1));
  console.log('total', (Date.now() - t) / 1000);
} finally {
  await runtime.stop();
}
