/** One templated bulk send: the same content for everyone, `{{placeholders}}` filled per destination. */
export type BulkSend = {
  template: { subject: string; html: string; text: string };
  attachments?: Array<{ filename: string; contentType: string; content: string }>;
  headers?: Array<{ name: string; value: string }>;
  /** Per destination: template data, headers, and message tags (SES adds them to the default tags). */
  entries: Array<{ to: string; data: Record<string, string>; headers?: Array<{ name: string; value: string }>; tags?: Record<string, string> }>;
  tags?: Record<string, string>;
};

export type BulkEntryResult = { ok: true; messageId: string } | { ok: false; retryable: boolean; error: string };

/** The bulk sending port: SES SendBulkEmail, at most 50 destinations per call. */
export interface BulkMailer {
  readonly maxEntries: number;
  /** Sends one call; per-entry failures are returned, a whole-call failure (throttling, 5xx) is thrown. */
  sendBulk(send: BulkSend): Promise<BulkEntryResult[]>;
}
