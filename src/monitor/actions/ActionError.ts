/** Why an action could not start (bad input) or could not be found; `code` is the API's. */
export type ActionErrorCode = 'INVALID_INPUT' | 'ACTION_NOT_FOUND';

export class ActionError extends Error {
  override readonly name = 'ActionError';
  readonly code: ActionErrorCode;

  constructor(code: ActionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isActionError(error: unknown): error is ActionError {
  return error instanceof ActionError;
}
