import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortFree } from '../../infra/local/dynamodb-local.ts';

describe('the local runtime’s DynamoDB Local', () => {
  it('refuses a port something already listens on (a stand-in left by a crashed runtime), and takes a free one', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      await expect(assertPortFree(port, 'DynamoDB Local')).rejects.toThrow(`Port ${port} for DynamoDB Local is taken`);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
    await expect(assertPortFree(port, 'DynamoDB Local')).resolves.toBeUndefined();
  });
});
