import { describe, expect, it } from 'vitest';
import { redactForLog } from '../../functions/core/logger.ts';

describe('log redaction', () => {
  it('removes email addresses from any logged string, such as a library error quoting input', () => {
    expect(redactForLog('message', 'Invalid address amina.diallo@example.org in request')).toBe('Invalid address [email] in request');
  });

  it('blanks personal fields wherever they appear, but keeps error names', () => {
    expect(redactForLog('email', 'a@b.org')).toBe('[redacted]');
    expect(redactForLog('organisation', 'Ministry')).toBe('[redacted]');
    expect(redactForLog('name', 'ValidationException')).toBe('ValidationException');
    expect(redactForLog('count', 3)).toBe(3);
  });
});
