import { Logger } from '@aws-lambda-powertools/logger';

const EMAIL = /[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+/g;

/**
 * Removes email addresses from any string that reaches a log line. Handlers never log names or emails
 * on purpose; this is the net under that rule, because an error message from a library may quote input.
 */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(EMAIL, '[email]');
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, REDACTED_KEYS.has(key) ? '[redacted]' : redact(inner)]),
    );
  }
  return value;
}

const REDACTED_KEYS = new Set(['name', 'email', 'organisation', 'to', 'toAddresses']);

/** One logger per function, structured JSON; the service name is the function's topology name. */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO' });
}
