import type { Server } from 'node:http';
import { Worker } from 'node:worker_threads';
import * as sesModule from 'aws-ses-v2-local';
import type { SesFaults, SesFrontStats } from './ses-front.ts';

type StartSes = (config: { port: number; host?: string }) => Promise<Server>;

/** Starts aws-ses-v2-local (SES v2 API, inbox page at `/`, `GET /store`) in this process on loopback. */
export async function startSesLocal(port: number): Promise<Server> {
  const module = sesModule as unknown as { default: StartSes | { default: StartSes } };
  const start = typeof module.default === 'function' ? module.default : module.default.default;
  return start({ port, host: '127.0.0.1' });
}

export type SesThread = {
  /** Sets the SES front's injected faults (all of them; unset ones are off). */
  setFaults(faults: Partial<SesFaults>): Promise<void>;
  stats(): Promise<SesFrontStats>;
  stop(): Promise<void>;
};

/** Starts the SES emulator and the SES front (infra/local/ses-front.ts) on a worker thread. */
export function startSesThread(port: number, emulatorPort: number): Promise<SesThread> {
  const worker = new Worker(new URL('./ses-thread.ts', import.meta.url), { workerData: { port, emulatorPort } });
  const front = `http://127.0.0.1:${port}`;
  const thread: SesThread = {
    async setFaults(faults) {
      const response = await fetch(`${front}/_front/faults`, { method: 'POST', body: JSON.stringify(faults) });
      if (!response.ok) throw new Error(`SES front refused the faults: ${response.status}`);
    },
    async stats() {
      const { faults: _faults, ...stats } = (await (await fetch(`${front}/_front/stats`)).json()) as SesFrontStats & { faults: unknown };
      return stats;
    },
    async stop() {
      const stopped = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('stop');
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 2000))]);
      await worker.terminate();
    },
  };
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the SES thread exited with ${code} before it was ready`)));
    worker.once('message', (message) => {
      if (message !== 'ready') return reject(new Error(`unexpected message from the SES thread: ${String(message)}`));
      worker.removeAllListeners('exit');
      worker.removeAllListeners('error');
      worker.on('error', (error) => console.error('SES thread failed:', error));
      resolve(thread);
    });
  });
}
