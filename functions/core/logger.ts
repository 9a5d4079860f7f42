import { Logger } from '@aws-lambda-powertools/logger';

const EMAIL = /[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+/g;

// Not 'name': errors carry their class in it, and handlers never log a registrant's name under any key.
const REDACTED_KEYS = new Set(['email', 'organisation', 'to', 'toAddresses', 'destination']);

/**
 * The net under the rule that logs carry no personal data: handlers log ids only, but an error message
 * from a library may quote input, so every string loses its email addresses and personal fields are
 * blanked wherever they appear.
 */
export function redactForLog(key: string, value: unknown): unknown {
  if (REDACTED_KEYS.has(key) && (typeof value === 'string' || Array.isArray(value))) return '[redacted]';
  return typeof value === 'string' ? value.replace(EMAIL, '[email]') : value;
}

/** One logger per function, structured JSON; the service name is the function's topology name. */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO', jsonReplacerFn: redactForLog });
}
