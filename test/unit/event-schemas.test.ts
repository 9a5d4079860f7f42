import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventSchemas } from '../../infra/cli/generate-schemas.ts';

const dir = path.resolve(import.meta.dirname, '..', '..', 'events', 'schemas');

describe('JSON Schemas of the event contracts', () => {
  it('are committed and match the zod contracts (run `npm run schemas` after changing an event)', () => {
    for (const [name, text] of eventSchemas()) expect(readFileSync(path.join(dir, name), 'utf8'), name).toBe(text);
  });

  it('describe the detail of Registration.Confirmed with its required fields', () => {
    const schema = JSON.parse(eventSchemas().get('convene.registrations.Registration.Confirmed.json')!) as { required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(expect.arrayContaining(['eventId', 'occurredAt', 'participantId', 'submissionId', 'sessions']));
    expect(schema.additionalProperties).toBe(false);
  });
});
