import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { allContracts } from '../../events/index.ts';

/**
 * Writes one JSON Schema per event contract into events/schemas/, for the EventBridge schema registry
 * and for consumers in other languages. Generated from the zod schemas, never edited by hand; a unit
 * test fails when they are out of date (run `npm run schemas`).
 */
export function eventSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const contract of allContracts) {
    const schema = {
      $id: `https://convene.example.org/events/${contract.source}/${contract.detailType}.json`,
      title: `${contract.source} ${contract.detailType}`,
      description: contract.description,
      'x-amazon-events-source': contract.source,
      'x-amazon-events-detail-type': contract.detailType,
      ...z.toJSONSchema(contract.schema, { target: 'draft-2020-12', unrepresentable: 'any' }),
    };
    files.set(`${contract.source}.${contract.detailType.replace(/\s+/g, '-')}.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(import.meta.dirname, '..', '..', 'events', 'schemas');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of eventSchemas()) writeFileSync(path.join(dir, name), text);
  process.stdout.write(`wrote ${eventSchemas().size} schemas to events/schemas/\n`);
}
