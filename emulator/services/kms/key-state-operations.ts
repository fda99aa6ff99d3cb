// EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion: the key states a secret's reader can meet.
// A key pending deletion can only be cancelled (then it is Disabled, like AWS).
import type { RequestContext } from "../../context.ts";
import { AwsError } from "../../protocol/aws-error.ts";
import { kmsInvalidStateText } from "../../../aws/texts.ts";
import { type Input, optionalInteger } from "../../protocol/input.ts";
import type { KmsKeyRecord } from "../../state/kms.ts";
import { KmsErrorCode, awsManagedKeyRefused, keyPendingDeletion } from "./errors.ts";
import { ownKey } from "./target.ts";

const DAY_MS = 86_400_000;

function customerKey(ctx: RequestContext, input: Input): KmsKeyRecord {
  const key = ownKey(ctx, input);
  if (key.keyManager === "AWS") throw awsManagedKeyRefused();
  return key;
}

export function EnableKey(ctx: RequestContext, input: Input): Record<string, never> {
  const key = customerKey(ctx, input);
  if (key.keyState === "PendingDeletion") throw keyPendingDeletion(key.arn);
  key.keyState = "Enabled";
  return {};
}

export function DisableKey(ctx: RequestContext, input: Input): Record<string, never> {
  const key = customerKey(ctx, input);
  if (key.keyState === "PendingDeletion") throw keyPendingDeletion(key.arn);
  key.keyState = "Disabled";
  return {};
}

export interface ScheduleKeyDeletionOutput {
  KeyId: string;
  DeletionDate: number;
  KeyState: "PendingDeletion";
  PendingWindowInDays: number;
}

export function ScheduleKeyDeletion(ctx: RequestContext, input: Input): ScheduleKeyDeletionOutput {
  const days = optionalInteger(input, "PendingWindowInDays", { min: 7, max: 30 }) ?? 30;
  const key = customerKey(ctx, input);
  if (key.keyState === "PendingDeletion") throw keyPendingDeletion(key.arn);
  key.keyState = "PendingDeletion";
  key.deletionDate = ctx.now + days * DAY_MS;
  key.pendingWindowInDays = days;
  return { KeyId: key.arn, DeletionDate: key.deletionDate / 1000, KeyState: "PendingDeletion", PendingWindowInDays: days };
}

export function CancelKeyDeletion(ctx: RequestContext, input: Input): { KeyId: string } {
  const key = customerKey(ctx, input);
  if (key.keyState !== "PendingDeletion") throw new AwsError(KmsErrorCode.KMSInvalidStateException, kmsInvalidStateText(key.arn, key.keyState));
  key.keyState = "Disabled";
  delete key.deletionDate;
  delete key.pendingWindowInDays;
  return { KeyId: key.arn };
}
