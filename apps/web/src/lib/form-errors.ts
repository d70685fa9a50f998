import { isApiError } from './trpc';

/** What a form shows after a failed submit: messages under named fields, or one for the form. */
export interface FormErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  form: string | null;
}

export const noErrors = <F extends string>(): FormErrors<F> => ({ fields: {}, form: null });

/**
 * Places a server error: under the field named by `error.data.field` when the
 * form has it, else as a form-level message.
 */
export function toFormErrors<F extends string>(error: unknown, fields: readonly F[]): FormErrors<F> {
  if (!isApiError(error)) return { fields: {}, form: 'Something went wrong. Please try again.' };
  const data = error.data;
  if (!data) {
    // No error shape: the request never reached the server, or its answer was not ours.
    return { fields: {}, form: 'Cannot reach the server. Check your connection and try again.' };
  }
  const field = fields.find((f) => f === data.field);
  if (field) return { fields: { [field]: error.message } as Partial<Record<F, string>>, form: null };
  if (data.code === 'TOO_MANY_REQUESTS' && data.retryAfterSeconds) {
    return { fields: {}, form: `${error.message} You can try again in ${waitText(data.retryAfterSeconds)}.` };
  }
  return { fields: {}, form: error.message };
}

function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** One line for a failed action: the server's message, or why there is none. */
export function errorMessage(error: unknown): string {
  return toFormErrors(error, []).form ?? 'Something went wrong. Please try again.';
}

/** Whether the server said the thing does not exist (or is not ours to see): the same answer by design. */
export function isNotFound(error: unknown): boolean {
  return isApiError(error) && (error.data?.code === 'NOT_FOUND' || error.data?.code === 'BAD_REQUEST');
}
