import { parseArgs } from 'node:util';
import { adminClient } from '../cli/admin-client.ts';
import { importProgrammeVia } from '../cli/import-programme.ts';
import { demoProgramme } from './demo-programme.ts';
import { startLocalRuntime } from './runtime.ts';
import { localSettings } from './settings.ts';

/**
 * `npm start`: the whole pipeline on this machine. Flags: --fresh wipes .local/ first; --memory keeps
 * DynamoDB in memory (tests); --no-seed skips the demo programme; --manual-schedules runs schedules only
 * when asked through /_local/schedules/{name}/run; --faults puts the fault-injecting fronts in place
 * (faults are then switched on and off with POST /_local/faults).
 */
const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
    'no-seed': { type: 'boolean', default: false },
    'manual-schedules': { type: 'boolean', default: false },
    faults: { type: 'boolean', default: false },
  },
});

const started = Date.now();
const settings = localSettings({
  faults: values.faults,
  inMemory: values.memory,
  fresh: values.fresh,
  seed: !values['no-seed'],
  clockSchedules: !values['manual-schedules'],
});
const runtime = await startLocalRuntime(settings);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping Convene…\n`);
  const force = setTimeout(() => process.exit(1), 10_000);
  await runtime.stop();
  clearTimeout(force);
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

if (settings.seed) {
  // Seed only an empty programme: after a restart, organisers' changes to the demo sessions stay.
  const { sessions } = (await (await fetch(`${runtime.urls.api}/sessions`)).json()) as { sessions: unknown[] };
  if (sessions.length === 0) {
    const result = await importProgrammeVia(adminClient(runtime.urls.api), demoProgramme(new Date()));
    process.stdout.write(`Demo programme: ${result.created} sessions from next Monday (npm start -- --fresh starts over)\n`);
  } else process.stdout.write(`Programme: ${sessions.length} sessions kept from .local/ (npm start -- --fresh starts over)\n`);
}

process.stdout.write(
  [
    '',
    `Convene is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s, Node ${process.version})`,
    `  Registration form  ${runtime.urls.form}`,
    `  API                ${runtime.urls.api}  (GET /sessions, POST /registrations, GET /health)`,
    `  Mail inbox (SES)   ${runtime.urls.inbox}`,
    `  DynamoDB Local     ${runtime.urls.dynamodb}`,
    `  Local AWS endpoint ${runtime.urls.aws}  (EventBridge, Secrets Manager)`,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
