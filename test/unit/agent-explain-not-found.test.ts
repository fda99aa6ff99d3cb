// A bare name not found (fakes, no I/O): the diagnosis looks for the name in other regions (ListSecrets) and, by the
// ARNs the execution role's policies name, in other accounts (DescribeSecret): cred-wrong-region or
// cred-cross-account-name with the full ARN in the fix; nothing seen, or an ARN credentialsParameter: unchanged.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CredentialsFailure } from "../../agent-sim/steps/asm-auth.ts";
import { diagnoseCredentials, diagnoseSecretElsewhere } from "../../agent-sim/diagnosis/diagnosis.ts";
import { COMMON_REGIONS, explainNotFound, secretArnsNamedIn } from "../../agent-sim/diagnosis/explain.ts";
import type { IamReaderPort, IamSnapshot, RoleSnapshot, SecretLookup, SecretSighting } from "../../agent-sim/adapters/iam-reader.ts";
import { resolveLaunchContext } from "../../agent-sim/profile/launch-context.ts";

const ACCOUNT = "111111111111";
const OTHER = "222222222222";
const NAME = "registry/creds";
const WEST = `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:${NAME}-AbCdEf`;
const SHARED = `arn:aws:secretsmanager:us-east-1:${OTHER}:secret:${NAME}-XyZ123`;
const notFound = (secretId = NAME): CredentialsFailure => ({
  stage: "call", secretId, region: "us-east-1", containers: ["app"],
  failure: { code: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret.", httpStatusCode: 400, requestId: "r", attempts: 1, kind: "service" },
});
const base = (f = notFound()) => diagnoseCredentials(f, resolveLaunchContext({ region: "us-east-1", account: ACCOUNT }));
const sighting = (arn: string, via: SecretSighting["via"] = "ListSecrets"): SecretSighting => ({ arn, name: NAME, region: arn.split(":")[3]!, account: arn.split(":")[4]!, via });
const role = (...resources: string[]): RoleSnapshot => ({
  arn: `arn:aws:iam::${ACCOUNT}:role/exec`, name: "exec", tags: {},
  identity: [{ id: "read", type: "inline", name: "read", document: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: resources }] }) }],
});

class LookingReader implements IamReaderPort {
  lookups: SecretLookup[] = [];
  constructor(private readonly seen: (l: SecretLookup) => SecretSighting[], private readonly snapshot: IamSnapshot = { unreadable: [] }) {}
  async read(): Promise<IamSnapshot> {
    return this.snapshot;
  }
  async locate(lookup: SecretLookup): Promise<SecretSighting[]> {
    this.lookups.push(lookup);
    return this.seen(lookup);
  }
}

describe("bare name not found: the look-around", () => {
  test("seen in another region of the account: cred-wrong-region, the fix names the full ARN", () => {
    const d = diagnoseSecretElsewhere(base(), notFound(), ACCOUNT, [sighting(WEST)]);
    assert.equal(d.failureCode, "cred-wrong-region");
    assert.equal(d.cause, `No secret named ${NAME} exists in us-east-1, where a bare name is looked up; the caller can see one in us-west-2: ${WEST}.`);
    assert.equal(d.fix, `Set credentialsParameter to the full ARN ${WEST} (an ARN carries its region), with secretsmanager:GetSecretValue on it in the execution role's policy; or create the secret in us-east-1.`);
  });

  test("seen in another account by ARN: cred-cross-account-name; the same account's other region wins", () => {
    const d = diagnoseSecretElsewhere(base(), notFound(), ACCOUNT, [sighting(SHARED, "DescribeSecret")]);
    assert.equal(d.failureCode, "cred-cross-account-name");
    assert.match(d.fix, new RegExp(`^Set credentialsParameter to the full ARN ${SHARED.replace(/[/]/g, "\\/")}: across accounts only the full ARN works`));
    assert.equal(diagnoseSecretElsewhere(base(), notFound(), ACCOUNT, [sighting(SHARED), sighting(WEST)]).failureCode, "cred-wrong-region");
  });

  test("honest: nothing seen, an ARN credentialsParameter, or only the task's own region: cred-not-found unchanged", () => {
    assert.deepEqual(diagnoseSecretElsewhere(base(), notFound(), ACCOUNT, []), base());
    const arnFailure = notFound(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${NAME}-AbCdEf`);
    assert.equal(diagnoseSecretElsewhere(base(arnFailure), arnFailure, ACCOUNT, [sighting(WEST)]).failureCode, "cred-not-found");
    const here = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${NAME}-AbCdEf`;
    assert.equal(diagnoseSecretElsewhere(base(), notFound(), ACCOUNT, [sighting(here)]).failureCode, "cred-not-found");
  });

  test("secretArnsNamedIn: full ARNs in any account; partial ARNs behind -?????? / * in the own account only", () => {
    const mine = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${NAME}`;
    const r = role(SHARED, `${mine}-??????`, `arn:aws:secretsmanager:eu-west-1:${OTHER}:secret:${NAME}-??????`, "*", `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:other-AbCdEf`);
    assert.deepEqual(secretArnsNamedIn(r, NAME, ACCOUNT), [SHARED, mine]);
  });

  test("explainNotFound: bounded regions (the run's first, never the task's), the role's ARNs, then the diagnosis", async () => {
    const reader = new LookingReader((l) => (l.arns.includes(SHARED) ? [sighting(SHARED, "DescribeSecret")] : []), { role: role(SHARED), unreadable: [] });
    const d = await explainNotFound({ diagnosis: base(), failure: notFound(), reader, account: ACCOUNT, regions: ["us-east-1", "me-south-1"], roleArn: `arn:aws:iam::${ACCOUNT}:role/exec` });
    assert.equal(d.failureCode, "cred-cross-account-name");
    const lookup = reader.lookups[0]!;
    assert.equal(lookup.regions[0], "me-south-1");
    assert.ok(!lookup.regions.includes("us-east-1"));
    assert.equal(lookup.regions.length, COMMON_REGIONS.length);
    assert.deepEqual(lookup.arns, [SHARED]);
  });

  test("explainNotFound: a reader without look-around, or one that fails, leaves the diagnosis alone", async () => {
    const plain: IamReaderPort = { read: async () => ({ unreadable: [] }) };
    assert.deepEqual(await explainNotFound({ diagnosis: base(), failure: notFound(), reader: plain, account: ACCOUNT }), base());
    const failing = new LookingReader(() => {
      throw new Error("network");
    });
    assert.deepEqual(await explainNotFound({ diagnosis: base(), failure: notFound(), reader: failing, account: ACCOUNT }), base());
  });
});
