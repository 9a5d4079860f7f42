import * as z from 'zod';

/** The event every schedule delivers (EventBridge Scheduler input, same shape locally); `time` is "now". */
export const scheduledEvent = z.object({
  'detail-type': z.literal('Scheduled Event'),
  time: z.iso.datetime({ offset: true }),
  resources: z.array(z.string()).default([]),
});
