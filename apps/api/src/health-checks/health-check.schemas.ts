import { z } from 'zod';
import { TASK_STATES } from '../../../../libs/contracts/src';
import { filterValue } from '../common/validation';

const dateOrInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/, 'must be a date YYYY-MM-DD or an ISO instant with offset');

export const requestHealthCheckSchema = z.strictObject({
  kind: z.enum(['remote', 'onsite'], 'must be remote or onsite'),
  preferredDates: z.array(dateOrInstant).max(10, 'must list at most 10 dates').optional(),
});
export type RequestHealthCheckBody = z.infer<typeof requestHealthCheckSchema>;

export const scheduleTaskSchema = z.strictObject({ date: dateOrInstant });
export const completeTaskSchema = z.strictObject({
  summary: z.string().trim().min(1, 'must not be empty').max(5000, 'must be at most 5000 characters'),
});

export const listTasksQuerySchema = z.strictObject({
  owner: filterValue(200).optional(),
  state: z.enum(TASK_STATES as [string, ...string[]], `must be one of ${TASK_STATES.join(', ')}`).optional(),
  due_before: z.iso.datetime({ offset: true, error: 'must be an ISO instant such as 2027-01-31T17:00:00Z' }).optional(),
  pageSize: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 100').max(100, 'must be 1 to 100').default(50),
  pageToken: z.string().max(2000).optional(),
});
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;

export const taskFeedQuerySchema = z.strictObject({ owner: z.string().min(1).max(200).optional() });

export const taskIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:\d{4}:(offer|remote|onsite|review-[1-9]\d?)$/,
    'must be a task id <accountId>:<contractYear>:offer|remote|onsite|review-<n>',
  );
