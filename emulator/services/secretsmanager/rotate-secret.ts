// RotateSecret and CancelRotateSecret (Secrets Manager API reference; shapes and limits from botocore's model):
// - RotateSecret stores the rotation configuration (RotationLambdaARN, RotationRules), makes the new version
//   (ClientRequestToken, or a UUID) with the AWSPENDING label and no value, and runs the rotation function's steps
//   createSecret, setSecret, testSecret, finishSecret (RotateImmediately=false: testSecret only, and the pending
//   version is removed again). A failed step stops the rotation where it is (AWSPENDING stays) without failing
//   the call, as in AWS, where RotateSecret answers once the rotation has started.
// - While AWSPENDING sits on a version that is not AWSCURRENT's, a new RotateSecret is refused (a previous
//   rotation is still in progress) unless it repeats that version's token.
// - CancelRotateSecret turns automatic rotation off and names the unfinished version, if any; labels stay.
// Inferred (docs/fidelity.md): the steps run before RotateSecret answers, not later; no scheduled rotation happens
// by itself; NextRotationDate is computed for AutomaticallyAfterDays and rate() only.
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { ValidationConstraint, validationErrorText, wrongTypeText } from "../../../aws/texts.ts";
import { type Input, optionalBoolean, optionalObject, optionalString } from "../../protocol/input.ts";
import type { RotationRules, SecretRecord } from "../../state/secrets.ts";
import { type RotationFunction, type RotationInvocation, type RotationStep, ROTATION_STEPS } from "./rotation-functions.ts";
import { AWSCURRENT, AWSPENDING, readClientRequestToken, readSecretId } from "./rules.ts";
import { requireWritableSecret } from "./secret-id.ts";
import { RotationText, rotationFunctionNotFoundText, rotationStepFailedText } from "./texts.ts";
import { dropDeprecated, moveStage, removeStage } from "./versions.ts";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const SCHEDULE_PATTERN_TEXT = "[0-9A-Za-z\\(\\)#\\?\\*\\-\\/, ]+";
const SCHEDULE_CHARS = /^[0-9A-Za-z()#?*\-/, ]+$/;
const RATE = /^rate\((\d{1,4}) (hours?|days?)\)$/;
const CRON = /^cron\([0-9A-Za-z#?*\-/, ]{1,250}\)$/;
const DURATION = /^[0-9]+h$/;

export interface RotationDependencies {
  /** Lambda ARN → function, fixed when the emulator starts. */
  functions: ReadonlyMap<string, RotationFunction>;
  /** The emulator's own URL, once known. */
  endpoint(): string | undefined;
  /** An admin key of `account`, handed to command functions so that they can call back. */
  credentials(account: string): { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Each failed step, for the emulator's log (never carries a secret value). */
  onStepFailure?: (secretArn: string, text: string) => void;
}

export interface RotateSecretOutput {
  ARN: string;
  Name: string;
  VersionId?: string;
}

function validation(path: string, constraint: string, value: string): AwsError {
  return new AwsError(AwsErrorCode.ValidationException, validationErrorText(path, constraint, value));
}

function invalidParameter(text: string): AwsError {
  return new AwsError(AwsErrorCode.InvalidParameterException, text);
}

/** RotationRules with the model's limits (ValidationException) and the rules' own consistency (InvalidParameterException). */
export function readRotationRules(input: Input): RotationRules | undefined {
  const rules = optionalObject(input, "RotationRules");
  if (rules === undefined) return undefined;
  const out: RotationRules = {};
  const days = rules.AutomaticallyAfterDays;
  if (days !== undefined && days !== null) {
    if (typeof days !== "number" || !Number.isInteger(days)) throw new AwsError(AwsErrorCode.SerializationException, wrongTypeText("AutomaticallyAfterDays", "an integer"));
    if (days > 1000) throw validation("rotationRules.automaticallyAfterDays", ValidationConstraint.maxValue(1000), String(days));
    if (days < 1) throw validation("rotationRules.automaticallyAfterDays", ValidationConstraint.minValue(1), String(days));
    out.AutomaticallyAfterDays = days;
  }
  const duration = optionalString(rules, "Duration", { min: 2, max: 3 }, "rotationRules.duration");
  if (duration !== undefined) {
    if (!DURATION.test(duration)) throw validation("rotationRules.duration", ValidationConstraint.pattern("[0-9]+h"), duration);
    const hours = Number(duration.slice(0, -1));
    if (hours < 1 || hours > 24) throw invalidParameter(RotationText.durationRange);
    out.Duration = duration;
  }
  const schedule = optionalString(rules, "ScheduleExpression", { min: 1, max: 256 }, "rotationRules.scheduleExpression");
  if (schedule !== undefined) {
    if (!SCHEDULE_CHARS.test(schedule)) throw validation("rotationRules.scheduleExpression", ValidationConstraint.pattern(SCHEDULE_PATTERN_TEXT), schedule);
    if (!RATE.test(schedule) && !CRON.test(schedule)) throw invalidParameter(RotationText.scheduleExpressionInvalid);
    out.ScheduleExpression = schedule;
  }
  if (out.AutomaticallyAfterDays !== undefined && out.ScheduleExpression !== undefined) throw invalidParameter(RotationText.rulesBothSchedules);
  if (out.AutomaticallyAfterDays === undefined && out.ScheduleExpression === undefined) throw invalidParameter(RotationText.rulesNoSchedule);
  return out;
}

/** When the next rotation is due after `from`: known for AutomaticallyAfterDays and rate(); undefined for cron(). */
export function nextRotationAfter(rules: RotationRules | undefined, from: number): number | undefined {
  if (rules?.AutomaticallyAfterDays !== undefined) return from + rules.AutomaticallyAfterDays * DAY_MS;
  const rate = rules?.ScheduleExpression === undefined ? null : RATE.exec(rules.ScheduleExpression);
  if (rate) return from + Number(rate[1]) * (rate[2]!.startsWith("day") ? DAY_MS : HOUR_MS);
  return undefined;
}

export function createRotationOperations(deps: RotationDependencies) {
  async function RotateSecret(ctx: RequestContext, input: Input): Promise<RotateSecretOutput> {
    const secretId = readSecretId(input);
    const requestedToken = readClientRequestToken(input);
    const lambdaArn = optionalString(input, "RotationLambdaARN", { max: 2048 });
    const rules = readRotationRules(input);
    const immediately = optionalBoolean(input, "RotateImmediately") ?? true;
    const record = requireWritableSecret(ctx, secretId);

    const arn = lambdaArn !== undefined && lambdaArn !== "" ? lambdaArn : record.rotation?.lambdaArn;
    if (arn === undefined) throw new AwsError(AwsErrorCode.InvalidRequestException, RotationText.noRotationFunction);
    const fn = deps.functions.get(arn);
    if (fn === undefined) throw new AwsError(AwsErrorCode.ResourceNotFoundException, rotationFunctionNotFoundText(arn));
    const pendingId = record.stages.get(AWSPENDING);
    if (pendingId !== undefined && pendingId !== record.stages.get(AWSCURRENT) && pendingId !== requestedToken) {
      throw new AwsError(AwsErrorCode.InvalidRequestException, RotationText.previousRotationInProgress);
    }
    const token = requestedToken ?? randomUUID();

    const effectiveRules = rules ?? record.rotation?.rules;
    record.rotation = { enabled: effectiveRules !== undefined, lambdaArn: arn, ...(effectiveRules !== undefined && { rules: effectiveRules }) };
    if (!record.versions.has(token)) record.versions.set(token, { versionId: token, createdDate: ctx.now, stages: [] });
    moveStage(record, AWSPENDING, token);
    record.lastChangedDate = ctx.now;

    const steps: readonly RotationStep[] = immediately ? ROTATION_STEPS : ["testSecret"];
    const invocation: RotationInvocation = { ctx, endpoint: deps.endpoint(), credentials: deps.credentials(ctx.account) };
    for (const step of steps) {
      try {
        await fn.invoke({ Step: step, SecretId: record.arn, ClientRequestToken: token }, invocation);
      } catch (error) {
        deps.onStepFailure?.(record.arn, rotationStepFailedText(step, (error as Error).message));
        break;
      }
    }
    if (!immediately) discardTestVersion(record, token);
    else if (record.stages.get(AWSCURRENT) === token) record.lastRotatedDate = ctx.now;
    const next = nextRotationAfter(effectiveRules, record.lastRotatedDate ?? ctx.now);
    if (record.rotation.enabled && next !== undefined) record.rotation.nextRotationDate = next;
    return { ARN: record.arn, Name: record.name, VersionId: token };
  }

  function CancelRotateSecret(ctx: RequestContext, input: Input): RotateSecretOutput {
    const record = requireWritableSecret(ctx, readSecretId(input));
    if (record.rotation !== undefined) {
      record.rotation.enabled = false;
      delete record.rotation.nextRotationDate;
    }
    record.lastChangedDate = ctx.now;
    const pendingId = record.stages.get(AWSPENDING);
    return pendingId !== undefined && pendingId !== record.stages.get(AWSCURRENT)
      ? { ARN: record.arn, Name: record.name, VersionId: pendingId }
      : { ARN: record.arn, Name: record.name };
  }

  return { RotateSecret, CancelRotateSecret };
}

/** RotateImmediately=false: "The test creates an AWSPENDING version of the secret and then removes it." */
function discardTestVersion(record: SecretRecord, token: string): void {
  const version = record.versions.get(token);
  if (version === undefined) return;
  removeStage(record, AWSPENDING);
  if (version.stages.length === 0) record.versions.delete(token);
  dropDeprecated(record);
}
