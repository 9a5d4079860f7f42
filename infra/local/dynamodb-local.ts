import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { tables, type TableSpec } from '../topology.ts';

const require = createRequire(import.meta.url);

/** The official DynamoDB Local jar, as shipped inside the amplify-dynamodb-simulator npm package. */
export function dynamoDbLocalDir(): string {
  return path.join(path.dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

export type DynamoDbLocal = { process: ChildProcess; stop(): Promise<void> };

/**
 * Refuses a port something already listens on. Otherwise the new DynamoDB Local fails to bind, but the
 * readiness probe is answered by whatever holds the port (a DynamoDB Local a crashed runtime left behind,
 * with that run's data: its leases, its counters), and the runtime works on stale state without a word.
 */
export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'EADDRINUSE' ? `Port ${port} for ${what} is taken: a runtime that crashed may have left it running (pkill -f DynamoDBLocal.jar)` : `${what}: ${error.message}`)),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

/** Starts DynamoDB Local on loopback, in memory or with a data folder, and waits until it answers. */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string; client: DynamoDBClient }): Promise<DynamoDbLocal> {
  await assertPortFree(options.port, 'DynamoDB Local');
  const dir = dynamoDbLocalDir();
  const args = ['-Djava.library.path=./DynamoDBLocal_lib', '-Xms128m', '-Xmx1g', '-jar', 'DynamoDBLocal.jar', '-port', String(options.port), '-sharedDb'];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('-dbPath', options.dataDir);
  } else args.push('-inMemory');
  const child = spawn('java', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A runtime that ends without stopping (an uncaught error) takes its DynamoDB Local with it.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output.slice(-2000)}`);
    try {
      await options.client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on port ${options.port}: ${output.slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  return {
    process: child,
    async stop() {
      process.off('exit', orphanGuard);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const localTableNames: Record<keyof typeof tables, string> = { main: 'convene', idempotency: 'convene-idempotency' };

/** Creates the topology's tables (keys, indexes, stream, TTL) unless they exist; returns the stream ARN. */
export async function ensureTables(client: DynamoDBClient): Promise<{ streamArn: string }> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const [key, spec] of Object.entries(tables) as Array<[keyof typeof tables, TableSpec]>) {
    const name = localTableNames[key];
    if (existing.has(name)) {
      // Data kept from an older Convene may lack an index added since (the keys-only programme index):
      // its queries would fail later with a ValidationException, so say it now.
      const have = new Set(((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
      const missing = spec.globalIndexes.filter((index) => !have.has(index.name)).map((index) => index.name);
      if (missing.length > 0) throw new Error(`The local table ${name} was made by an older Convene (no index ${missing.join(', ')}): start over with npm start -- --fresh`);
      continue;
    }
    const attributes = new Set([spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : []), ...spec.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: spec.partitionKey, KeyType: 'HASH' },
          ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' as const }] : []),
        ],
        GlobalSecondaryIndexes: spec.globalIndexes.length
          ? spec.globalIndexes.map((index) => ({
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
                { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
              ],
              Projection: { ProjectionType: index.projection === 'keys' ? ('KEYS_ONLY' as const) : ('ALL' as const) },
            }))
          : undefined,
        StreamSpecification: spec.stream ? { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } : undefined,
      }),
    );
    await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: spec.timeToLiveAttribute } }));
  }
  const described = await client.send(new DescribeTableCommand({ TableName: localTableNames.main }));
  const streamArn = described.Table?.LatestStreamArn;
  if (!streamArn) throw new Error('The main table has no stream');
  return { streamArn };
}
