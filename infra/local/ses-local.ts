import type { Server } from 'node:http';
import * as sesModule from 'aws-ses-v2-local';

type StartSes = (config: { port: number; host?: string }) => Promise<Server>;

/** Starts aws-ses-v2-local (SES v2 API, inbox page at `/`, `GET /store`) in this process on loopback. */
export async function startSesLocal(port: number): Promise<Server> {
  const module = sesModule as unknown as { default: StartSes | { default: StartSes } };
  const start = typeof module.default === 'function' ? module.default : module.default.default;
  return start({ port, host: '127.0.0.1' });
}
