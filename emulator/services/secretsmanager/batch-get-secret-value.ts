// BatchGetSecretValue (API reference; shapes from botocore's model): up to 20 secrets by SecretIdList, or the
// secrets ListSecrets' Filters match (MaxResults 1–20, NextToken). Each secret is read as GetSecretValue reads it,
// including IAM's secretsmanager:GetSecretValue on that secret and its KMS key; a secret that cannot be read
// lands in Errors ({SecretId, ErrorCode, Message}) instead of failing the call.
import { authorize } from "../../authorize.ts";
import type { RequestContext } from "../../context.ts";
import { AwsError, AwsErrorCode } from "../../protocol/aws-error.ts";
import { SecretsManagerText } from "../../../aws/texts.ts";
import { type Input, optionalInteger, optionalString, optionalStringList } from "../../protocol/input.ts";
import { secretTarget } from "./authorization.ts";
import { GetSecretValue, type GetSecretValueOutput } from "./get-secret-value.ts";
import { matchesFilters, readFilters } from "./list-secrets.ts";
import { LIMITS } from "./rules.ts";
import { stateOf, unlessPurged } from "./secret-id.ts";
import { BatchText } from "./texts.ts";

const DEFAULT_MAX_RESULTS = 20;

export interface BatchGetSecretValueOutput {
  SecretValues: GetSecretValueOutput[];
  NextToken?: string;
  Errors: { SecretId: string; ErrorCode: string; Message: string }[];
}

export function BatchGetSecretValue(ctx: RequestContext, input: Input): BatchGetSecretValueOutput {
  const ids = optionalStringList(input, "SecretIdList", { min: 1, max: 20 }, { min: 1, max: LIMITS.secretId });
  const filters = input.Filters === undefined || input.Filters === null ? undefined : readFilters(input);
  const maxResults = optionalInteger(input, "MaxResults", { min: 1, max: 20 });
  const nextToken = optionalString(input, "NextToken", { min: 1, max: 4096 });
  if ((ids === undefined) === (filters === undefined)) throw new AwsError(AwsErrorCode.InvalidParameterException, BatchText.idsOrFilters);
  if (maxResults !== undefined && filters === undefined) throw new AwsError(AwsErrorCode.InvalidParameterException, BatchText.maxResultsWithoutFilters);

  const out: BatchGetSecretValueOutput = { SecretValues: [], Errors: [] };
  const read = (secretId: string) => {
    try {
      authorize(ctx, secretTarget(ctx, "secretsmanager:GetSecretValue", secretId, {}));
      out.SecretValues.push(GetSecretValue(ctx, { SecretId: secretId }));
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      out.Errors.push({ SecretId: secretId, ErrorCode: error.code, Message: error.text ?? "" });
    }
  };
  if (ids !== undefined) {
    for (const id of ids) read(id);
    return out;
  }
  // By filters: in creation order, from the NextToken's creation number on (as ListSecrets pages).
  const after = nextToken === undefined ? 0 : decodeToken(nextToken);
  const limit = maxResults ?? DEFAULT_MAX_RESULTS;
  const state = stateOf(ctx);
  let taken = 0;
  let lastSeq = after;
  for (const candidate of state.all()) {
    if (candidate.seq <= after) continue;
    const record = unlessPurged(state, candidate, ctx.now);
    if (record === undefined || record.deletedDate !== undefined || !matchesFilters(record, filters!)) continue;
    if (taken === limit) {
      out.NextToken = encodeToken(lastSeq);
      break;
    }
    read(record.arn);
    lastSeq = record.seq;
    taken++;
  }
  return out;
}

function encodeToken(seq: number): string {
  return Buffer.from(`ecs-pull-batch:${seq}`, "utf8").toString("base64url");
}

function decodeToken(token: string): number {
  const match = /^ecs-pull-batch:(\d{1,12})$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (match === null) throw new AwsError(AwsErrorCode.InvalidNextTokenException, SecretsManagerText.invalidNextToken);
  return Number(match[1]);
}
