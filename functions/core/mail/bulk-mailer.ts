import type { Language } from '../model.ts';
import type { CalendarFile } from './calendar.ts';

/** One templated bulk send: the same content for everyone, `{{placeholders}}` filled per destination. */
export type BulkSend = {
  /** The language of the content (the sender's display name follows it). */
  lang?: Language;
  template: { subject: string; html: string; text: string };
  attachments?: Array<{ filename: string; contentType: string; content: string }>;
  headers?: Array<{ name: string; value: string }>;
  /**
   * The calendar invitation of the destinations marked `invite`, made for each (RFC 5546 wants the
   * recipient as ATTENDEE, so it differs per destination): only a mailer that sends each destination its
   * own message can carry it (SesPersonalMailer; SesBulkMailer refuses it).
   */
  invitation?: (attendee: { email: string; name: string }) => CalendarFile;
  /** Per destination: template data, headers, and message tags (SES adds them to the default tags). */
  entries: Array<{ to: string; data: Record<string, string>; invite?: boolean; headers?: Array<{ name: string; value: string }>; tags?: Record<string, string> }>;
  tags?: Record<string, string>;
};

export type BulkEntryResult = { ok: true; messageId: string } | { ok: false; retryable: boolean; error: string };

/** The bulk sending port: SES SendBulkEmail, at most 50 destinations per call, or one message each. */
export interface BulkMailer {
  readonly maxEntries: number;
  /** Sends one call; per-entry failures are returned, a whole-call failure (throttling, 5xx) is thrown. */
  sendBulk(send: BulkSend): Promise<BulkEntryResult[]>;
}

/**
 * Fills `{{key}}` with the destination's value, in one pass: a value is never read as a placeholder
 * again, and organiser text reaches a template only as a value (never as template text), so nothing an
 * organiser types is interpreted as template syntax. An unknown key is left empty, as SES does.
 */
export function fillTemplate(template: string, data: Record<string, string>): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => data[key] ?? '');
}
