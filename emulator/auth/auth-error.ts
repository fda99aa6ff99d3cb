// The authentication layer's refusals as AWS errors: JSON services answer 400 with `…Exception` codes, Query
// services (IAM, STS) 403 with their own codes (AWS-ERRORS.md "Signature and credentials").
import { AwsError } from "../protocol/aws-error.ts";
import {
  AuthErrorCodes,
  type AuthFailureKind,
  AuthText,
  headerNotSignedText,
  incompleteSignatureText,
  invalidRegionText,
  signatureExpiredText,
  signatureNotYetCurrentText,
  wrongServiceText,
} from "../../aws/texts.ts";

export type WireProtocol = "json" | "query";

/**
 * An error of the authentication/authorization layer. On JSON services it carries the bare `message` key whatever
 * the service's own errors use (AWS-ERRORS.md: Secrets Manager's own errors say `Message`, its auth-layer errors
 * `message`). The app reads `messageKey` from any error that has one; access-denied answers should use this class.
 */
export class AuthLayerError extends AwsError {
  readonly messageKey = "message" as const;
}

export function authError(kind: AuthFailureKind, protocol: WireProtocol, args: readonly string[] = []): AwsError {
  const [jsonCode, queryCode] = AuthErrorCodes[kind];
  const text = authText(kind, args);
  // IncompleteSignature is a 400 on both wires.
  const status = protocol === "json" || kind === "incompleteSignature" || kind === "headerNotSigned" ? 400 : 403;
  return new AuthLayerError(protocol === "json" ? jsonCode : queryCode, text, status);
}

function authText(kind: AuthFailureKind, args: readonly string[]): string {
  switch (kind) {
    case "missingToken":
      return AuthText.missingToken;
    case "incompleteSignature":
      return incompleteSignatureText(args);
    case "unknownKey":
      return AuthText.invalidToken;
    case "expiredToken":
      return AuthText.expiredToken;
    case "signatureMismatch":
      return AuthText.signatureMismatch;
    case "signatureExpired":
      return signatureExpiredText(args[0] ?? "", args[1] ?? "", args[2] ?? "");
    case "signatureNotYetCurrent":
      return signatureNotYetCurrentText(args[0] ?? "", args[1] ?? "", args[2] ?? "");
    case "invalidRegion":
      return invalidRegionText(args[0] ?? "");
    case "wrongService":
      return wrongServiceText(args[0] ?? "");
    case "headerNotSigned":
      return headerNotSignedText(args[0] ?? "");
  }
}
