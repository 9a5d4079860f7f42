import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/core/errors.ts';
import { parseInput } from '../../functions/core/http/validate.ts';
import { registrationRequest } from '../../functions/intake/registration-request.ts';

const valid = {
  name: 'Amina Diallo',
  email: 'amina@example.org',
  organisation: 'Ministry of ICT',
  stakeholderType: 'government',
  country: 'SN',
  language: 'fr',
  timeZone: 'Africa/Dakar',
  sessionIds: ['s1'],
  consent: true,
};

function problems(input: unknown, lang: 'ar' | 'en' | 'es' | 'fr' | 'ru' | 'zh') {
  try {
    parseInput(registrationRequest, input, lang);
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseInput', () => {
  it('accepts a valid registration', () => {
    expect(parseInput(registrationRequest, valid, 'fr').email).toBe('amina@example.org');
  });

  it("words zod's own checks in the request's language, one problem per field", () => {
    const input = { ...valid, email: 'not-an-address', name: 'x'.repeat(500) };
    const messages = (lang: Parameters<typeof problems>[1]) => Object.fromEntries(problems(input, lang).map((p) => [p.field, p.message]));
    const en = messages('en');
    expect(Object.keys(en).sort()).toEqual(['email', 'name']);
    for (const lang of ['ar', 'es', 'fr', 'ru', 'zh'] as const) {
      const localized = messages(lang);
      expect(Object.keys(localized).sort()).toEqual(['email', 'name']);
      expect(localized.email, lang).not.toBe(en.email);
      expect(localized.name, lang).not.toBe(en.name);
    }
    expect(messages('fr').name).toMatch(/trop/i);
    expect(messages('ru').email).toMatch(/[а-я]/i);
  });

  it("uses Convene's wording where zod's would not tell a registrant what to do", () => {
    const [consent] = problems({ ...valid, consent: false }, 'es');
    expect(consent).toMatchObject({ field: 'consent' });
    expect(consent!.message).toMatch(/datos/);
    const missing = problems({ ...valid, email: undefined }, 'fr');
    expect(missing).toEqual([expect.objectContaining({ field: 'email', message: 'Ce champ est obligatoire.' })]);
  });
});
