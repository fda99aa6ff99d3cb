// KMS's error codes (the `__type` on the wire) and small constructors for the errors several operations share.
import { AwsError } from "../../protocol/aws-error.ts";
import {
  KmsText,
  kmsAliasNotFoundText,
  kmsDisabledText,
  kmsInvalidKeyIdText,
  kmsKeyNotFoundText,
  kmsPendingDeletionText,
} from "../../../aws/texts.ts";

export const KmsErrorCode = {
  NotFoundException: "NotFoundException",
  DisabledException: "DisabledException",
  KMSInvalidStateException: "KMSInvalidStateException",
  InvalidCiphertextException: "InvalidCiphertextException",
  IncorrectKeyException: "IncorrectKeyException",
  AlreadyExistsException: "AlreadyExistsException",
  MalformedPolicyDocumentException: "MalformedPolicyDocumentException",
  NotAuthorizedException: "NotAuthorizedException",
  UnsupportedOperationException: "UnsupportedOperationException",
  ValidationException: "ValidationException",
  AccessDeniedException: "AccessDeniedException",
} as const;

export function keyNotFound(keyArn: string): AwsError {
  return new AwsError(KmsErrorCode.NotFoundException, kmsKeyNotFoundText(keyArn));
}

export function invalidKeyId(value: string): AwsError {
  return new AwsError(KmsErrorCode.NotFoundException, kmsInvalidKeyIdText(value));
}

export function aliasNotFound(aliasArn: string): AwsError {
  return new AwsError(KmsErrorCode.NotFoundException, kmsAliasNotFoundText(aliasArn));
}

export function keyDisabled(keyArn: string): AwsError {
  return new AwsError(KmsErrorCode.DisabledException, kmsDisabledText(keyArn));
}

export function keyPendingDeletion(keyArn: string): AwsError {
  return new AwsError(KmsErrorCode.KMSInvalidStateException, kmsPendingDeletionText(keyArn));
}

/** The body is exactly `{"__type":"InvalidCiphertextException"}`: no message at all. */
export function invalidCiphertext(): AwsError {
  return new AwsError(KmsErrorCode.InvalidCiphertextException, undefined);
}

export function incorrectKey(): AwsError {
  return new AwsError(KmsErrorCode.IncorrectKeyException, KmsText.incorrectKey);
}

export function awsManagedKeyRefused(): AwsError {
  return new AwsError(KmsErrorCode.UnsupportedOperationException, KmsText.awsManagedKey);
}
