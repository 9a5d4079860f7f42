import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { DEFAULT_TIMEOUT_SECONDS, functions, functionSpecs, type FunctionName } from '../topology.ts';
import type { SettingName } from '../../functions/core/settings.ts';
import type { Activity } from './activity.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, repoRoot } from './settings.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Who invoked a function: asynchronous sources retry on failure, so only they get injected crashes. */
export type InvocationOrigin = 'http' | 'queue' | 'stream' | 'schedule';

/** A hook the fault injector uses to make an invocation fail before or after the handler ran. */
export type InvocationHook = (name: FunctionName, phase: 'before' | 'after', origin: InvocationOrigin) => void;

/**
 * Runs the real handler modules in this process, with a Lambda-shaped context (remaining time, request
 * id, function name). Each function's module is imported once, as a cold start would.
 */
export class LocalLambdas {
  private readonly modules = new Map<FunctionName, Promise<Handler>>();
  private readonly running = new Map<FunctionName, number>();
  private readonly queued = new Map<FunctionName, Array<() => void>>();
  /** Handler modules load one at a time: each sees its own settings in the environment while it loads. */
  private loading: Promise<unknown> = Promise.resolve();
  hook: InvocationHook | undefined;

  /**
   * @param settings - every tunable setting as an environment value; a function gets only those its spec lists
   * @param concurrency - invocations of one function that run at once; the rest wait their turn. In AWS
   * each concurrent invocation gets its own execution environment (and SDK connection pool); here they
   * share one process, and an unbounded burst would exhaust the shared pool instead of queueing.
   */
  constructor(
    private readonly activity: Activity,
    private readonly settings: Readonly<Record<SettingName, string>>,
    private readonly concurrency = 32,
  ) {}

  private async acquire(name: FunctionName): Promise<() => void> {
    const limit = this.concurrency;
    if ((this.running.get(name) ?? 0) >= limit) {
      await new Promise<void>((resolve) => {
        const queue = this.queued.get(name) ?? [];
        queue.push(resolve);
        this.queued.set(name, queue);
      });
    }
    this.running.set(name, (this.running.get(name) ?? 0) + 1);
    return () => {
      this.running.set(name, (this.running.get(name) ?? 1) - 1);
      this.queued.get(name)?.shift()?.();
    };
  }

  /**
   * Imports a handler module with the settings its spec lists in process.env, and removes them once it is
   * loaded. Handlers read their configuration when their module loads (`loadConfig` at module level), and
   * every handler is loaded by warm() before any invocation, so no other function ever sees them.
   */
  private load(name: FunctionName): Promise<Handler> {
    let loaded = this.modules.get(name);
    if (!loaded) {
      const file = pathToFileURL(path.join(repoRoot, functions[name].entry)).href;
      const own = Object.fromEntries((functionSpecs[name].settings ?? []).map((setting) => [setting, this.settings[setting]]));
      loaded = this.loading.then(async () => {
        Object.assign(process.env, own);
        try {
          const module = (await import(file)) as { handler?: Handler };
          if (typeof module.handler !== 'function') throw new Error(`${functions[name].entry} exports no handler`);
          return module.handler;
        } finally {
          for (const setting of Object.keys(own)) delete process.env[setting];
        }
      });
      this.loading = loaded.catch(() => {});
      this.modules.set(name, loaded);
    }
    return loaded;
  }

  /** Loads every handler now, so configuration errors show at startup rather than on first use. */
  async warm(): Promise<void> {
    await Promise.all((Object.keys(functions) as FunctionName[]).map((name) => this.load(name)));
  }

  async invoke(name: FunctionName, event: unknown, origin: InvocationOrigin = 'http'): Promise<unknown> {
    return this.activity.track(async () => {
      const release = await this.acquire(name);
      try {
        return await this.run(name, event, origin);
      } finally {
        release();
      }
    });
  }

  private async run(name: FunctionName, event: unknown, origin: InvocationOrigin): Promise<unknown> {
    {
      const spec = functions[name] as { timeoutSeconds?: number; memoryMb?: number };
      const handler = await this.load(name);
      const timeoutMs = (spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
      const deadline = Date.now() + timeoutMs;
      const functionName = `convene-${name}`;
      const context: Context = {
        callbackWaitsForEmptyEventLoop: false,
        functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
        memoryLimitInMB: String(spec.memoryMb ?? 512),
        awsRequestId: randomUUID(),
        logGroupName: `/aws/lambda/${functionName}`,
        logStreamName: 'local',
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        done: () => {},
        fail: () => {},
        succeed: () => {},
      };
      this.hook?.(name, 'before', origin);
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          handler(event, context),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`Task timed out after ${timeoutMs / 1000} seconds`)), timeoutMs);
          }),
        ]);
        this.hook?.(name, 'after', origin);
        return result;
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
