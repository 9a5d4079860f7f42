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

  it('words every field problem for people, per field and per problem, in the request\'s language', () => {
    const input = { name: '', email: 'not-an-address', organisation: 'x'.repeat(201), stakeholderType: 'gov', country: 'XX', language: 'de', timeZone: 'Asia/Atlantis', sessionIds: [], consent: false, extra: 1 };
    const messages = (lang: Parameters<typeof problems>[1]) => Object.fromEntries(problems(input, lang).map((p) => [p.field, p.message]));
    expect(messages('en')).toEqual({
      name: 'Enter your full name.',
      email: 'Enter an email address in the form name@example.org.',
      organisation: 'Use at most 200 characters.',
      stakeholderType: 'Choose your stakeholder group from the list.',
      country: 'Choose your country or area from the list.',
      language: 'Choose one of the languages offered.',
      timeZone: 'Choose your time zone from the list.',
      sessionIds: 'Choose at least one session.',
      consent: 'Please agree to the processing of your data to register.',
      extra: 'Unknown field.',
    });
    expect(messages('zh')).toMatchObject({ name: '请输入您的全名。', organisation: '最多可填写 200 个字符。', timeZone: '请从列表中选择您的时区。' });
    expect(messages('ar')).toMatchObject({ name: 'أدخل اسمك الكامل.', organisation: 'استخدم 200 حرف على الأكثر.', country: 'اختر بلدك أو منطقتك من القائمة.' });
    // None of the validation library's developer wording, in any language: no type names, no operators,
    // no internal codes.
    for (const lang of ['ar', 'en', 'es', 'fr', 'ru', 'zh'] as const) {
      for (const message of Object.values(messages(lang))) expect(message, lang).not.toMatch(/string|expected|>=|<=|Invalid|Too (small|big)|government|civil-society|Unknown time|Unknown country/);
    }
  });

  it('words counts with each language\'s plural rules', () => {
    const tooMany = { ...valid, sessionIds: Array.from({ length: 21 }, (_, i) => `s${i}`) };
    const sessions = (lang: Parameters<typeof problems>[1]) => problems(tooMany, lang).find((p) => p.field === 'sessionIds')!.message;
    expect(sessions('en')).toBe('Choose at most 20 sessions at a time.');
    expect(sessions('ru')).toBe('За один раз можно выбрать не более 20 сессий.');
    // 20 is in Arabic's "many" category (11–99): the singular accusative.
    expect(sessions('ar')).toBe('يمكنك اختيار 20 جلسةً على الأكثر في كل مرة.');
    const longName = (lang: Parameters<typeof problems>[1]) => problems({ ...valid, name: 'x'.repeat(201) }, lang)[0]!.message;
    expect(longName('fr')).toBe('Utilisez au plus 200 caractères.');
    expect(longName('es')).toBe('Use como máximo 200 caracteres.');
  });

  it("uses Convene's wording where a field needs it", () => {
    const [consent] = problems({ ...valid, consent: false }, 'es');
    expect(consent).toMatchObject({ field: 'consent' });
    expect(consent!.message).toMatch(/datos/);
    const missing = problems({ ...valid, email: undefined }, 'fr');
    expect(missing).toEqual([expect.objectContaining({ field: 'email', message: 'Saisissez votre adresse électronique.' })]);
    const control = problems({ ...valid, name: 'Amina\nDiallo' }, 'en');
    expect(control).toEqual([expect.objectContaining({ field: 'name', message: 'Line breaks and control characters are not allowed here.' })]);
  });
});
