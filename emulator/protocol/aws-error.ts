// The one error type every service handler throws: an AWS error code, its message and its HTTP status.
// The wire layer (json-wire.ts) renders it in the calling service's shape; handlers never touch HTTP.

/** AWS error codes the emulator answers with, by name (the `__type` on the wire). */
export const AwsErrorCode = {
  ResourceNotFoundException: "ResourceNotFoundException",
  ResourceExistsException: "ResourceExistsException",
  InvalidRequestException: "InvalidRequestException",
  InvalidParameterException: "InvalidParameterException",
  InvalidNextTokenException: "InvalidNextTokenException",
  ValidationException: "ValidationException",
  SerializationException: "SerializationException",
  UnknownOperationException: "UnknownOperationException",
  InternalServiceError: "InternalServiceError",
  AccessDeniedException: "AccessDeniedException",
  DecryptionFailure: "DecryptionFailure",
  RequestEntityTooLarge: "RequestEntityTooLargeException",
} as const;

export type AwsErrorCodeName = (typeof AwsErrorCode)[keyof typeof AwsErrorCode] | (string & {});

export class AwsError extends Error {
  override readonly name = "AwsError";
  constructor(
    readonly code: AwsErrorCodeName,
    /** `undefined` renders a body with `__type` only (KMS InvalidCiphertextException). */
    readonly text: string | undefined,
    readonly httpStatus = 400,
  ) {
    super(text === undefined ? code : `${code}: ${text}`);
  }
}
