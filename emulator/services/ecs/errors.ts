// ECS's error codes (the `__type` on the wire) and small constructors, so handlers read like the API reference.
import { AwsError } from "../../protocol/aws-error.ts";
import { EcsText } from "../../../aws/texts.ts";

export const EcsErrorCode = {
  ClientException: "ClientException",
  InvalidParameterException: "InvalidParameterException",
  ClusterNotFoundException: "ClusterNotFoundException",
  PlatformUnknownException: "PlatformUnknownException",
  PlatformTaskDefinitionIncompatibilityException: "PlatformTaskDefinitionIncompatibilityException",
} as const;

export const clientException = (text: string) => new AwsError(EcsErrorCode.ClientException, text);
export const invalidParameter = (text: string) => new AwsError(EcsErrorCode.InvalidParameterException, text);
export const clusterNotFound = () => new AwsError(EcsErrorCode.ClusterNotFoundException, EcsText.clusterNotFound);
