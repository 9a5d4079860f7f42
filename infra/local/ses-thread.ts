/**
 * Worker-thread entry of the local SES stand-in: aws-ses-v2-local and Convene's SES front run here, on
 * their own thread, so rendering and storing thousands of mails does not queue behind the API, the
 * handlers and the stream poller on the runtime's main thread (on AWS, SES is somebody else's machine).
 */
import type { Server } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { startSesFront } from './ses-front.ts';
import { startSesLocal } from './ses-local.ts';

const { port, emulatorPort } = workerData as { port: number; emulatorPort: number };
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections());

const emulator = await startSesLocal(emulatorPort);
const front = await startSesFront(port, emulatorPort);
parentPort!.on('message', async (message: unknown) => {
  if (message !== 'stop') return;
  await close(front.server);
  await close(emulator);
  parentPort!.postMessage('stopped');
});
parentPort!.postMessage('ready');
