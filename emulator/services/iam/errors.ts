// IAM's error answers built once: NoSuchEntity, policy-document errors from the evaluator's grammar (keeping the
// precise `detail` for the emulator log), AccessDenied for callers whose policies do not allow an IAM action.
import { LimitExceeded, MalformedPolicyDocument } from "../../../aws/iam/index.ts";
import { AwsError } from "../../protocol/aws-error.ts";

export function noSuchEntity(text: string): AwsError {
  return new AwsError("NoSuchEntity", text, 404);
}

export function entityAlreadyExists(text: string): AwsError {
  return new AwsError("EntityAlreadyExists", text, 409);
}

export function deleteConflict(text: string): AwsError {
  return new AwsError("DeleteConflict", text, 409);
}

export function limitExceeded(text: string): AwsError {
  return new AwsError("LimitExceeded", text, 409);
}

export function invalidInput(text: string): AwsError {
  return new AwsError("InvalidInput", text, 400);
}

/** An AwsError that also carries what AWS's terse text leaves out; the app writes `detail` to the log. */
export class DetailedAwsError extends AwsError {
  constructor(code: string, text: string, httpStatus: number, readonly detail: string) {
    super(code, text, httpStatus);
  }
}

/** Runs a grammar check and turns its errors into IAM answers; anything else passes through. */
export function asIamError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof MalformedPolicyDocument || error instanceof LimitExceeded) {
      throw new DetailedAwsError(error.code, error.message, error.httpStatus, error.detail);
    }
    throw error;
  }
}
