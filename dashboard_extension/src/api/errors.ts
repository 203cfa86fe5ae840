// What can go wrong talking to the API, sorted by what the page should do about it.

export type MarketingError = { field?: string | null; code: string; message: string };

/** The server could not be reached or answered with something that is not the API. */
export class NetworkError extends Error {
  readonly kind = "network";
}

/** The request carried no valid credentials (expired Dashboard token, ended session). */
export class AuthenticationError extends Error {
  readonly kind = "authentication";
}

/** The viewer is known but lacks the permission the field needs. */
export class PermissionError extends Error {
  readonly kind = "permission";
}

/** Any other error the API answered with (bad input, limits). */
export class ApiError extends Error {
  readonly kind = "api";
  constructor(
    message: string,
    readonly code: string,
    /** The input part at fault (camelCase path, e.g. ``rules.all[1].value``), when named. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export type AppError = NetworkError | AuthenticationError | PermissionError | ApiError;

/** The id in the address is not one the API can read: the page shows "not found". */
export function isUnknownId(error: unknown): boolean {
  return error instanceof ApiError && error.code === "INVALID" && /Not a valid \w+ id/.test(error.message);
}

export function isRetryable(error: unknown): boolean {
  return error instanceof NetworkError || error instanceof AuthenticationError;
}

/** Field errors of a mutation whose path is ``field`` or lies below it. */
export function errorsAt(errors: MarketingError[] | undefined, field: string): MarketingError[] {
  return (errors ?? []).filter(
    (error) =>
      error.field === field ||
      error.field?.startsWith(`${field}.`) ||
      error.field?.startsWith(`${field}[`),
  );
}
