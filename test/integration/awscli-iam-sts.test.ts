// The real AWS CLI v2 (/usr/bin/aws) against the emulator with signature checking on: create a role whose trust
// policy names the admin's account, put a policy, assume it, call get-caller-identity with the temporary
// credentials; a wrong secret key is refused on both wires (STS: SignatureDoesNotMatch, Secrets Manager:
// InvalidSignatureException).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { type StartedEmulator, startEmulator } from "../../emulator/index.ts";
import { AuthText } from "../../aws/texts.ts";

const AWS_CLI = "/usr/bin/aws";
const ACCOUNT = "000000000000";
const run = promisify(execFile);

let emulator: StartedEmulator;
before(async () => {
  emulator = await startEmulator({ port: 0 });
});
after(() => emulator.close());

const baseEnv = { ...process.env, AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_MAX_ATTEMPTS: "1" };
const adminEnv = { ...baseEnv, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };

async function aws(env: NodeJS.ProcessEnv, ...args: string[]): Promise<unknown> {
  const { stdout } = await run(AWS_CLI, ["--endpoint-url", emulator.url, "--output", "json", ...args], { env, timeout: 30_000 });
  return stdout.trim() === "" ? {} : JSON.parse(stdout);
}

async function awsFailure(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  try {
    await run(AWS_CLI, ["--endpoint-url", emulator.url, "--output", "json", ...args], { env, timeout: 30_000 });
  } catch (error) {
    return (error as { stderr: string }).stderr.trim();
  }
  assert.fail("expected the CLI to fail");
}

const skip = existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed (the environment bootstrap installs Debian's awscli)`;

describe("AWS CLI v2: IAM and STS", { skip }, () => {
  it("create-role, put-role-policy, assume-role, then get-caller-identity with the session", async () => {
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }] });
    const created = (await aws(adminEnv, "iam", "create-role", "--role-name", "cli-role", "--assume-role-policy-document", trust)) as { Role: { Arn: string; AssumeRolePolicyDocument: unknown } };
    assert.equal(created.Role.Arn, `arn:aws:iam::${ACCOUNT}:role/cli-role`);
    // The CLI decodes the URL-encoded document and prints it as JSON.
    assert.deepEqual(created.Role.AssumeRolePolicyDocument, JSON.parse(trust));
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] });
    await aws(adminEnv, "iam", "put-role-policy", "--role-name", "cli-role", "--policy-name", "read", "--policy-document", policy);
    const inline = (await aws(adminEnv, "iam", "get-role-policy", "--role-name", "cli-role", "--policy-name", "read")) as { PolicyDocument: unknown };
    assert.deepEqual(inline.PolicyDocument, JSON.parse(policy));

    const assumed = (await aws(adminEnv, "sts", "assume-role", "--role-arn", created.Role.Arn, "--role-session-name", "cli")) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      AssumedRoleUser: { Arn: string };
    };
    const sessionEnv = { ...baseEnv, AWS_ACCESS_KEY_ID: assumed.Credentials.AccessKeyId, AWS_SECRET_ACCESS_KEY: assumed.Credentials.SecretAccessKey, AWS_SESSION_TOKEN: assumed.Credentials.SessionToken };
    const who = (await aws(sessionEnv, "sts", "get-caller-identity")) as { Arn: string; Account: string };
    assert.deepEqual([who.Arn, who.Account], [`arn:aws:sts::${ACCOUNT}:assumed-role/cli-role/cli`, ACCOUNT]);
    assert.equal(assumed.AssumedRoleUser.Arn, who.Arn);

    // The session's policy allows reading secrets; a missing secret is then "not found", not "denied".
    const notFound = await awsFailure(sessionEnv, "secretsmanager", "get-secret-value", "--secret-id", "nothing");
    assert.match(notFound, /ResourceNotFoundException/);
  });

  it("a wrong secret key: SignatureDoesNotMatch from STS, InvalidSignatureException from Secrets Manager", async () => {
    const wrong = { ...baseEnv, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "not-the-secret" };
    // botocore counts these as retryable and says so between the operation and the message.
    const cliError = (code: string, operation: string, message: string) => new RegExp(`^An error occurred \\(${code}\\) when calling the ${operation} operation( \\(reached max retries: \\d+\\))?: ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
    assert.match(await awsFailure(wrong, "sts", "get-caller-identity"), cliError("SignatureDoesNotMatch", "GetCallerIdentity", AuthText.signatureMismatch));
    assert.match(await awsFailure(wrong, "secretsmanager", "list-secrets"), cliError("InvalidSignatureException", "ListSecrets", AuthText.signatureMismatch));
    const unknownKey = { ...baseEnv, AWS_ACCESS_KEY_ID: "AKIANOBODY", AWS_SECRET_ACCESS_KEY: "x" };
    assert.match(await awsFailure(unknownKey, "sts", "get-caller-identity"), cliError("InvalidClientTokenId", "GetCallerIdentity", AuthText.invalidToken));
  });
});
