import type { Language } from '../model.ts';
import { standardMessagePage } from './message-page.ts';

/** The page a browser sees for an error status: link invalid or expired, not found, wrong method, erased, too large, too many requests, our fault. */
export function errorPageFor(lang: Language, statusCode: number): string {
  if (statusCode === 403) return standardMessagePage(lang, 'forbidden');
  if (statusCode === 404) return standardMessagePage(lang, 'notFound');
  if (statusCode === 405) return standardMessagePage(lang, 'methodNotAllowed');
  if (statusCode === 413) return standardMessagePage(lang, 'tooLarge');
  if (statusCode === 410) return standardMessagePage(lang, 'gone');
  if (statusCode === 429) return standardMessagePage(lang, 'tooMany');
  return standardMessagePage(lang, 'error');
}
