import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { adminClient, AdminApiError } from './admin-client.ts';
import { importProgrammeVia } from './import-programme.ts';

const usage = `Usage: npm run admin -- <command> [options]

Commands:
  import-programme <file.json>   create or update the sessions of a programme file (idempotent)
  sessions                       list sessions with their fill

Options:
  --json                         machine-readable output
  --api <url>                    API base URL (default $CONVENE_API_URL or http://127.0.0.1:3000)
`;

function progressBar(json: boolean) {
  if (json || !process.stderr.isTTY) {
    let lastTenth = -1;
    return {
      update: (done: number, total: number) => {
        const tenth = Math.floor((done / total) * 10);
        if (!json && tenth !== lastTenth) process.stderr.write(`imported ${done}/${total}\n`);
        lastTenth = tenth;
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar({ format: 'importing [{bar}] {value}/{total} {sessionId}', stream: process.stderr }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update: (done: number, total: number, sessionId?: string) => {
      if (!started) bar.start(total, 0, { sessionId: '' });
      started = true;
      bar.update(done, { sessionId: sessionId ?? '' });
    },
    stop: () => started && bar.stop(),
  };
}

const sessionRow = z.object({ sessionId: z.string(), startsAt: z.string(), capacity: z.number(), seatsTaken: z.number(), waitlistCount: z.number(), status: z.string() }).loose();

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false }, api: { type: 'string' }, help: { type: 'boolean' } } });
  const [command, ...rest] = positionals;
  if (!command || values.help) {
    process.stdout.write(usage);
    return command ? 0 : 2;
  }
  const call = adminClient(values.api);
  switch (command) {
    case 'import-programme': {
      const file = rest[0];
      if (!file) throw new Error('import-programme needs a file: npm run admin -- import-programme programme.json');
      const bar = progressBar(values.json);
      const result = await importProgrammeVia(call, JSON.parse(readFileSync(file, 'utf8')), (done, total, id) => bar.update(done, total, id));
      bar.stop();
      process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `created ${result.created}, updated ${result.updated}, unchanged ${result.unchanged}\n`);
      return 0;
    }
    case 'sessions': {
      const { body } = await call('GET', '/admin/sessions');
      const sessions = z.object({ sessions: z.array(sessionRow) }).parse(body).sessions;
      if (values.json) process.stdout.write(`${JSON.stringify(sessions)}\n`);
      else {
        for (const s of sessions) {
          const fill = s.capacity ? Math.round((s.seatsTaken / s.capacity) * 100) : 0;
          process.stdout.write(`${s.startsAt.slice(0, 16)}  ${s.sessionId.padEnd(40)} ${String(s.seatsTaken).padStart(5)}/${String(s.capacity).padEnd(5)} ${String(fill).padStart(3)}%  waiting ${s.waitlistCount}  ${s.status}\n`);
        }
      }
      return 0;
    }
    default:
      process.stderr.write(`Unknown command ${command}\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof AdminApiError || error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
