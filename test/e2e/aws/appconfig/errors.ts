// AppConfig's modelled errors. restJson1 clients (AWS SDK v3) pick the exception class from
// the `x-amzn-ErrorType` header, falling back to the body's `__type`/`code`; status codes
// are the ones in botocore's appconfig/2019-10-09 model (`error.httpStatusCode`).
export class AwsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields: Record<string, unknown> = {}): AwsError =>
  new AwsError("BadRequestException", 400, message, fields);

export const notFound = (message: string, resourceName?: string): AwsError =>
  new AwsError("ResourceNotFoundException", 404, message, resourceName ? { ResourceName: resourceName } : {});

export const conflict = (message: string): AwsError => new AwsError("ConflictException", 409, message);
