import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import * as z from 'zod';
import { languages } from '../../functions/core/model.ts';
import { adminClient, AdminApiError } from './admin-client.ts';
import { importProgrammeVia, parseProgramme } from './import-programme.ts';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LOCAL_CREDENTIALS, LOCAL_REGION, TOKEN_SECRET_ID } from '../local/settings.ts';
import { rotateTokenKey } from './rotate-token-key.ts';
import { awsDeadLetters, localDeadLetters } from './dead-letters.ts';

const usage = `Usage: npm run admin -- <command> [options]

Commands:
  import-programme <file.json>             create or update the sessions of a programme file (idempotent)
  sessions                                 list sessions with their fill
  reschedule <sessionId> --start <ISO> --end <ISO>
                                           move a session; registrants get one notice after the quiet period
  update <sessionId> [--title-<lang> <text>] [--description-<lang> <text>] [--join-url <url>] [--capacity <n>]
                                           (each language given is changed, the others kept; --description is --description-en)
                                           change a session (a higher capacity promotes the waiting list)
  cancel <sessionId> [--reason <text>]     cancel a session; registrants' calendars drop it
  export-registrations <sessionId>         the session's registrations as CSV
  deliveries <sessionId>                   mails sent for a session and their delivery status
  erase <email>                            erase a registrant's personal data (frees their seats)
  approve <participantId> <sessionId>      approve a registration for a restricted session
  reject <participantId> <sessionId>       reject it
  rotate-token-key --secret-id <arn>       new link-signing key; the previous one keeps verifying links already mailed
                                           (the stack's TokenSecretArn output; locally the runtime's secret by default)
  dead-letters [--stack <name>]            what sits in every dead-letter queue (of the deployed stack, or locally)
  redrive [--stack <name>]                 deliver the dead letters again, each kind as it must be (README: Guarantees)

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

function need(value: string | undefined, usageLine: string): string {
  if (!value) throw new Error(`Usage: npm run admin -- ${usageLine}`);
  return value;
}

function report(response: { body: unknown }, asJson: boolean): number {
  const body = response.body as Record<string, unknown>;
  if (asJson) process.stdout.write(`${JSON.stringify(body)}\n`);
  else if ('changed' in body) process.stdout.write(body.changed ? `${String(body.sessionId)}: changed (version ${String(body.version)})\n` : `${String(body.sessionId)}: nothing changed\n`);
  else process.stdout.write(`${Object.entries(body).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join('\n')}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      api: { type: 'string' },
      help: { type: 'boolean' },
      start: { type: 'string' },
      end: { type: 'string' },
      'join-url': { type: 'string' },
      capacity: { type: 'string' },
      description: { type: 'string' },
      reason: { type: 'string' },
      'secret-id': { type: 'string' },
      stack: { type: 'string' },
      ...Object.fromEntries(languages.flatMap((lang) => [[`title-${lang}`, { type: 'string' as const }], [`description-${lang}`, { type: 'string' as const }]])),
    },
  });
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
      const text = readFileSync(file, 'utf8');
      let programme: unknown;
      try {
        programme = JSON.parse(text);
      } catch (error) {
        throw new Error(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); nothing was imported`);
      }
      // Checked whole before the progress bar starts, so its problems print alone.
      parseProgramme(programme);
      const bar = progressBar(values.json);
      const result = await importProgrammeVia(call, programme, (done, total, id) => bar.update(done, total, id));
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
    case 'reschedule': {
      const sessionId = need(rest[0], 'reschedule <sessionId> --start <ISO> --end <ISO>');
      if (!values.start || !values.end) throw new Error('reschedule needs --start and --end (ISO 8601 with offset, e.g. 2026-12-07T15:00:00+01:00)');
      if (Date.parse(String(values.end)) <= Date.parse(String(values.start))) throw new Error('--end must be after --start');
      return report(await call('POST', `/admin/sessions/${encodeURIComponent(sessionId)}/reschedule`, { startsAt: values.start, endsAt: values.end }), values.json);
    }
    case 'update': {
      const sessionId = need(rest[0], 'update <sessionId> [--title-<lang> …] [--description-<lang> …] [--join-url …] [--capacity N]');
      const given = { ...(values.description ? { 'description-en': values.description } : {}), ...values } as Record<string, unknown>;
      // Only the languages given: the API keeps every other translation as it is.
      const translations = (field: 'title' | 'description') => Object.fromEntries(languages.flatMap((lang) => (given[`${field}-${lang}`] ? [[lang, String(given[`${field}-${lang}`])]] : [])));
      const fields: Record<string, unknown> = {};
      for (const field of ['title', 'description'] as const) if (Object.keys(translations(field)).length) fields[field] = translations(field);
      if (values['join-url']) fields.joinUrl = values['join-url'];
      if (values.capacity !== undefined) {
        const capacity = Number(values.capacity);
        if (!Number.isInteger(capacity) || capacity < 0) throw new Error('--capacity must be a whole number');
        fields.capacity = capacity;
      }
      if (!Object.keys(fields).length) throw new Error('update needs at least one of --title-<lang>, --description-<lang>, --join-url, --capacity');
      return report(await call('PATCH', `/admin/sessions/${encodeURIComponent(sessionId)}`, fields), values.json);
    }
    case 'cancel': {
      const sessionId = need(rest[0], 'cancel <sessionId> [--reason …]');
      return report(await call('POST', `/admin/sessions/${encodeURIComponent(sessionId)}/cancel`, values.reason ? { reason: values.reason } : {}), values.json);
    }
    case 'export-registrations': {
      const sessionId = need(rest[0], 'export-registrations <sessionId>');
      const { body } = await call('GET', `/admin/sessions/${encodeURIComponent(sessionId)}/registrations`);
      process.stdout.write(String(body));
      return 0;
    }
    case 'deliveries': {
      const sessionId = need(rest[0], 'deliveries <sessionId>');
      const { body } = await call('GET', `/admin/sessions/${encodeURIComponent(sessionId)}/deliveries`);
      const result = body as { counts: Record<string, number>; mails: Array<{ messageId: string; kind: string; status: string; sentAt: string; participantId: string }> };
      if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        process.stdout.write(`${Object.entries(result.counts).map(([k, v]) => `${k} ${v}`).join(', ') || 'no mail yet'}\n`);
        for (const mail of result.mails) process.stdout.write(`${mail.sentAt.slice(0, 19)}  ${mail.kind.padEnd(14)} ${mail.status.padEnd(10)} ${mail.participantId}  ${mail.messageId}\n`);
      }
      return 0;
    }
    case 'erase': {
      const email = need(rest[0], 'erase <email>');
      return report(await call('POST', '/admin/participants/erase', { email }), values.json);
    }
    case 'approve':
    case 'reject': {
      const participantId = need(rest[0], `${command} <participantId> <sessionId>`);
      const sessionId = need(rest[1], `${command} <participantId> <sessionId>`);
      return report(await call('POST', `/admin/registrations/${encodeURIComponent(participantId)}/${encodeURIComponent(sessionId)}/${command}`), values.json);
    }
    case 'rotate-token-key': {
      // With --secret-id: the deployed secret (the stack's TokenSecretArn output), with the caller's credentials.
      // Without: the local runtime's secret, through its AWS endpoint.
      const secretId = values['secret-id'];
      const client = secretId
        ? new SecretsManagerClient({})
        : new SecretsManagerClient({ endpoint: `http://127.0.0.1:${process.env.CONVENE_AWS_PORT ?? 4010}`, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      const rotated = await rotateTokenKey(client, secretId ?? TOKEN_SECRET_ID);
      process.stdout.write(values.json ? `${JSON.stringify(rotated)}\n` : `signing with ${rotated.currentId}; links of ${rotated.previousId} still verify until they expire\n`);
      return 0;
    }
    case 'dead-letters':
    case 'redrive': {
      const source = values.stack ? awsDeadLetters(values.stack) : localDeadLetters(values.api ?? process.env.CONVENE_API_URL ?? 'http://127.0.0.1:3000');
      if (command === 'dead-letters') {
        const queues = await source.list();
        if (values.json) process.stdout.write(`${JSON.stringify(queues)}\n`);
        else if (queues.every((q) => q.messages === 0)) process.stdout.write('no dead letters\n');
        else for (const q of queues.filter((entry) => entry.messages > 0)) process.stdout.write(`${q.kind}\t${q.queue}\t${q.messages}${q.target ? `\t-> ${q.target}` : ''}${q.latestError ? `\t${q.latestError}` : ''}\n`);
        return 0;
      }
      const results = await source.redrive();
      if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
      else if (results.length === 0) process.stdout.write('no dead letters\n');
      else for (const r of results) process.stdout.write(`${r.kind}\t${r.queue}\tredriven ${r.redriven}, left ${r.left}${r.note ? `\t(${r.note})` : ''}\n`);
      return results.some((r) => r.left > 0) ? 1 : 0;
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
