/** The one error class handlers throw; app.onError alone turns it into a WordPress-shaped response. */
import { errorCodes, type ErrorBody, type ErrorCode } from '../../shared/errors.ts';

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, extra: Record<string, unknown> = {}) {
    super(message ?? errorCodes[code].message);
    this.code = code;
    this.status = errorCodes[code].status;
    this.extra = extra;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, data: { status: this.status, ...this.extra } };
  }
}
