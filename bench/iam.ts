// Benchmark of the IAM evaluator: decisions per second on one core for a 5-statement policy (target ≥ 100,000)
// and a policy near 10 KB (target ≥ 10,000). Run: npx tsx bench/iam.ts
import { evaluate, policySize, type AuthorizationRequest, type PolicySet } from "../aws/iam/index.ts";

const ACCT = "111122223333";
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:registry-creds-AbC123`;
const principal = { arn: `arn:aws:sts::${ACCT}:assumed-role/exec/task-1`, account: ACCT, type: "AssumedRole" as const };

const requests: AuthorizationRequest[] = [
  { principal, action: "secretsmanager:GetSecretValue", resource: SECRET, resourceAccount: ACCT, context: { "aws:RequestedRegion": "us-east-1", "aws:SecureTransport": "true", "aws:ResourceTag/team": "payments", "aws:SourceIp": "10.1.2.3" } },
  { principal, action: "secretsmanager:PutSecretValue", resource: SECRET, resourceAccount: ACCT, context: { "aws:RequestedRegion": "us-east-1" } },
  { principal, action: "ecr:BatchGetImage", resource: `arn:aws:ecr:us-east-1:${ACCT}:repository/app`, resourceAccount: ACCT, context: {} },
  { principal, action: "kms:Decrypt", resource: `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, resourceAccount: ACCT, context: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
];

const small = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Sid: "Ecr", Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: "*" },
    { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:*:${ACCT}:log-group:/ecs/*` },
    { Sid: "Creds", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:registry-creds-??????`, Condition: { Bool: { "aws:SecureTransport": "true" } } },
    { Sid: "Kms", Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } },
    { Sid: "NoWrites", Effect: "Deny", Action: ["secretsmanager:Put*", "secretsmanager:Delete*"], Resource: "*" },
  ],
});

// ~10 KB: many statements of the kinds real execution-role policies carry. A third of them name the benchmarked
// action and secret, so their conditions are evaluated too (the harder case for the evaluator).
const statements: unknown[] = [];
for (let i = 0; statements.length < 200; i++) {
  statements.push({
    Sid: `S${i}`,
    Effect: i % 7 === 6 ? "Deny" : "Allow",
    Action: i % 3 === 0 ? ["secretsmanager:GetSecretValue", "kms:Decrypt"] : [`secretsmanager:Get${i}*`, `ssm:GetParameter${i}`],
    Resource: i % 3 === 0 ? [`arn:aws:secretsmanager:*:${ACCT}:secret:registry-*`, `arn:aws:kms:*:${ACCT}:key/*`] : [`arn:aws:secretsmanager:*:${ACCT}:secret:app-${i}-??????`, `arn:aws:ssm:*:${ACCT}:parameter/app/${i}/*`],
    Condition: {
      StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"], "aws:ResourceTag/team": `team-${i}` },
      IpAddress: { "aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"] },
    },
  });
  const text = JSON.stringify({ Version: "2012-10-17", Statement: [...statements, JSON.parse(small).Statement[2]] });
  if (policySize(text) > 9800) break;
}
const large = JSON.stringify({ Version: "2012-10-17", Statement: [...statements, JSON.parse(small).Statement[2]] });

function bench(label: string, policies: PolicySet, seconds = 1.5): number {
  for (let i = 0; i < 20000; i++) evaluate(requests[i % requests.length] as AuthorizationRequest, policies); // warm-up, compile once
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 1000; i++, n++) evaluate(requests[n % requests.length] as AuthorizationRequest, policies);
    elapsed = process.hrtime.bigint() - start;
  }
  const perSecond = Math.round(n / (Number(elapsed) / 1e9));
  console.log(`${label}: ${perSecond.toLocaleString("en-US")} decisions/s`);
  return perSecond;
}

console.log(`small policy: ${JSON.parse(small).Statement.length} statements, ${policySize(small)} characters`);
console.log(`large policy: ${JSON.parse(large).Statement.length} statements, ${policySize(large)} characters`);
const smallRate = bench("5-statement policy", { identity: [{ id: "small", type: "inline", document: small }] });
const largeRate = bench("~10 KB policy     ", { identity: [{ id: "large", type: "inline", document: large }] });
console.log(`targets: 5-statement ≥ 100,000/s ${smallRate >= 100_000 ? "met" : "NOT met"}; ~10 KB ≥ 10,000/s ${largeRate >= 10_000 ? "met" : "NOT met"}`);
