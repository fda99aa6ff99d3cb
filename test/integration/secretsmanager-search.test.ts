// ListSecrets filters as AWS matches them, BatchGetSecretValue with per-secret errors, and GetRandomPassword's options
// and limits, driven by the real @aws-sdk/client-secrets-manager (and the AWS CLI v2 for get-random-password; the
// installed 2.9 has no batch-get-secret-value).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  GetRandomPasswordCommand,
  type GetRandomPasswordCommandInput,
  ListSecretsCommand,
  SecretsManagerClient,
  type Filter,
} from "@aws-sdk/client-secrets-manager";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { SecretsManagerText, ValidationConstraint, validationErrorText } from "../../aws/texts.ts";
import { wordsOf } from "../../emulator/services/secretsmanager/list-secrets.ts";
import { BatchText, FilterText, RandomPasswordText } from "../../emulator/services/secretsmanager/texts.ts";
import { failure } from "../unit/sdk-failure.ts";

let emulator: StartedEmulator;
let sm: SecretsManagerClient;

before(async () => {
  emulator = await startEmulator({ port: 0 });
  sm = new SecretsManagerClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const secrets = [
    { Name: "prod/DatabaseSecret", Description: "Main database credentials", Tags: [{ Key: "team", Value: "payments" }] },
    { Name: "dev/databaseSecret", Description: "my basic description", Tags: [{ Key: "Team", Value: "Search" }] },
    { Name: "ci/registry-creds892", Description: "Registry for CI", Tags: [{ Key: "env", Value: "ci" }] },
  ];
  for (const s of secrets) await sm.send(new CreateSecretCommand({ ...s, SecretString: `value of ${s.Name}` }));
});

after(async () => {
  sm.destroy();
  await emulator.close();
});

const names = async (...Filters: Filter[]) => ((await sm.send(new ListSecretsCommand({ Filters }))).SecretList ?? []).map((s) => s.Name).sort();

describe("ListSecrets filters", () => {
  it("splits words at punctuation, case changes and letter/digit changes", () => {
    assert.deepEqual(wordsOf("credsDatabase#892"), ["creds", "Database", "892"]);
    assert.deepEqual(wordsOf("my/DBSecret"), ["my", "DB", "Secret"]);
    assert.deepEqual(wordsOf("--"), []);
  });

  it("name, tag-key and tag-value are case-sensitive prefixes; description and all match words, not case-sensitive", async () => {
    assert.deepEqual(await names({ Key: "name", Values: ["prod/Data"] }), ["prod/DatabaseSecret"]);
    assert.deepEqual(await names({ Key: "name", Values: ["Data"] }), [], "name matches the beginning only");
    assert.deepEqual(await names({ Key: "tag-key", Values: ["team"] }), ["prod/DatabaseSecret"], "case-sensitive");
    assert.deepEqual(await names({ Key: "tag-value", Values: ["Sea"] }), ["dev/databaseSecret"]);
    assert.deepEqual(await names({ Key: "description", Values: ["DATABASE"] }), ["prod/DatabaseSecret"], "a word of the description");
    assert.deepEqual(await names({ Key: "description", Values: ["description my"] }), ["dev/databaseSecret"], "every word, in any order");
    assert.deepEqual(await names({ Key: "all", Values: ["secret"] }), ["dev/databaseSecret", "prod/DatabaseSecret"], "the word after a case change");
    assert.deepEqual(await names({ Key: "all", Values: ["892"] }), ["ci/registry-creds892"], "digits are a word of their own");
    assert.deepEqual(await names({ Key: "all", Values: ["payments"] }), ["prod/DatabaseSecret"], "tag values too");
  });

  it("several values OR, several filters AND, ! negates", async () => {
    assert.deepEqual(await names({ Key: "name", Values: ["prod/", "ci/"] }), ["ci/registry-creds892", "prod/DatabaseSecret"]);
    assert.deepEqual(await names({ Key: "name", Values: ["prod/", "ci/"] }, { Key: "tag-key", Values: ["env"] }), ["ci/registry-creds892"]);
    assert.deepEqual(await names({ Key: "name", Values: ["!prod/"] }), ["ci/registry-creds892", "dev/databaseSecret"]);
  });

  it("a filter without a key or values, or with a value outside the pattern, gets AWS's error", async () => {
    const noKey = await failure(sm.send(new ListSecretsCommand({ Filters: [{ Values: ["x"] }] })));
    assert.equal(noKey.name, "InvalidParameterException");
    assert.equal(noKey.message, FilterText.keyRequired);
    const noValues = await failure(sm.send(new ListSecretsCommand({ Filters: [{ Key: "name" }] })));
    assert.equal(noValues.name, "InvalidParameterException");
    assert.equal(noValues.message, FilterText.valuesRequired("name"));
    const badValue = await failure(sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["a*b"] }] })));
    assert.equal(badValue.name, "ValidationException");
    assert.equal(badValue.message, validationErrorText("filters.1.member.values.1.member", ValidationConstraint.pattern("^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$"), "a*b"));
    assert.equal(badValue.$metadata.httpStatusCode, 400);
  });
});

describe("BatchGetSecretValue", () => {
  it("by SecretIdList: values, and a per-secret error for one that is missing or scheduled for deletion", async () => {
    await sm.send(new CreateSecretCommand({ Name: "batch/gone", SecretString: "x" }));
    await sm.send(new DeleteSecretCommand({ SecretId: "batch/gone" }));
    const out = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ["prod/DatabaseSecret", "nope", "batch/gone"] }));
    assert.deepEqual(out.SecretValues!.map((v) => [v.Name, v.SecretString, v.VersionStages]), [["prod/DatabaseSecret", "value of prod/DatabaseSecret", ["AWSCURRENT"]]]);
    assert.deepEqual(out.Errors, [
      { SecretId: "nope", ErrorCode: "ResourceNotFoundException", Message: SecretsManagerText.secretNotFound },
      { SecretId: "batch/gone", ErrorCode: "InvalidRequestException", Message: SecretsManagerText.markedForDeletion },
    ]);
  });

  it("by Filters, paged with MaxResults", async () => {
    const first = await sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: "all", Values: ["secret"] }], MaxResults: 1 }));
    assert.deepEqual(first.SecretValues!.map((v) => v.Name), ["prod/DatabaseSecret"]);
    assert.ok(first.NextToken);
    const second = await sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: "all", Values: ["secret"] }], MaxResults: 1, NextToken: first.NextToken }));
    assert.deepEqual(second.SecretValues!.map((v) => v.Name), ["dev/databaseSecret"]);
    assert.equal(second.NextToken, undefined);
  });

  it("both or neither of SecretIdList and Filters, MaxResults without Filters, too many ids: 4xx", async () => {
    const both = await failure(sm.send(new BatchGetSecretValueCommand({ SecretIdList: ["a"], Filters: [{ Key: "name", Values: ["a"] }] })));
    assert.equal(both.name, "InvalidParameterException");
    assert.equal(both.message, BatchText.idsOrFilters);
    const neither = await failure(sm.send(new BatchGetSecretValueCommand({})));
    assert.equal(neither.message, BatchText.idsOrFilters);
    const max = await failure(sm.send(new BatchGetSecretValueCommand({ SecretIdList: ["a"], MaxResults: 5 })));
    assert.equal(max.message, BatchText.maxResultsWithoutFilters);
    const many = await failure(sm.send(new BatchGetSecretValueCommand({ SecretIdList: Array.from({ length: 21 }, (_, i) => `s${i}`) })));
    assert.equal(many.name, "ValidationException");
    assert.equal(many.$metadata.httpStatusCode, 400);
  });
});

describe("GetRandomPassword", () => {
  const password = async (input: GetRandomPasswordCommandInput) => (await sm.send(new GetRandomPasswordCommand(input))).RandomPassword!;

  it("defaults to 32 characters of every type; exclusions, space and required types are honoured", async () => {
    const p = await password({});
    assert.equal(p.length, 32);
    assert.match(p, /[a-z]/);
    assert.match(p, /[A-Z]/);
    assert.match(p, /[0-9]/);
    assert.match(p, /[^A-Za-z0-9]/);
    assert.match(await password({ PasswordLength: 50, ExcludePunctuation: true, ExcludeNumbers: true }), /^[A-Za-z]{50}$/);
    assert.match(await password({ PasswordLength: 40, ExcludeUppercase: true, ExcludeLowercase: true, ExcludePunctuation: true }), /^[0-9]{40}$/);
    assert.match(await password({ PasswordLength: 30, ExcludeCharacters: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", ExcludePunctuation: true }), /^[0-9]{30}$/);
    assert.ok((await password({ PasswordLength: 5, IncludeSpace: true, ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true })) === "     ");
    assert.match(await password({ PasswordLength: 3, RequireEachIncludedType: false }), /^.{3}$/);
    assert.equal((await password({ PasswordLength: 4096 })).length, 4096);
  });

  it("limits: length 1–4096, too short for the required types, nothing left to choose from", async () => {
    const zero = await failure(sm.send(new GetRandomPasswordCommand({ PasswordLength: 0 })));
    assert.equal(zero.name, "ValidationException");
    assert.equal(zero.message, validationErrorText("passwordLength", ValidationConstraint.minValue(1), "0"));
    const huge = await failure(sm.send(new GetRandomPasswordCommand({ PasswordLength: 4097 })));
    assert.equal(huge.message, validationErrorText("passwordLength", ValidationConstraint.maxValue(4096), "4097"));
    const short = await failure(sm.send(new GetRandomPasswordCommand({ PasswordLength: 3 })));
    assert.equal(short.name, "InvalidParameterException");
    assert.equal(short.message, RandomPasswordText.tooShort);
    const none = await failure(sm.send(new GetRandomPasswordCommand({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true })));
    assert.equal(none.name, "InvalidParameterException");
    assert.equal(none.message, RandomPasswordText.nothingToChooseFrom);
    for (const e of [zero, huge, short, none]) assert.equal(e.$metadata.httpStatusCode, 400);
  });
});
