// diagnose: every text the catalogue can produce (every run of every scenario, read at run time) is recognised as
// its own entry with fresh request ids, task ids, hosts, ARNs, accounts, regions and names in place of ours; real
// texts from public reports name the right entry first; DescribeTasks documents are read, other documents refused.
import assert from "node:assert/strict";
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { catalogueTexts, Diagnoser, describeTasksTexts, NotDescribeTasksError, readDiagnoseInput } from "../../capture/diagnose.ts";
import { tokenize } from "../../capture/text-tokens.ts";
import { loadCatalogue } from "../../scenarios/load.ts";
import { fillPlaceholders } from "../../scenarios/placeholders.ts";

const catalogue = loadCatalogue();
const diagnoser = new Diagnoser(catalogue);

const REGIONS = ["eu-west-1", "ap-southeast-2", "us-west-2", "sa-east-1", "eu-central-1"];
const word = () => `${["prod", "team", "acme", "svc", "billing"][randomInt(5)]}${randomBytes(3).toString("hex")}`;
const account = () => String(randomInt(100_000, 999_999)) + String(randomInt(100_000, 999_999));

/** Real-looking values for every placeholder, and fresh names for the literal names our scenarios use. */
function freshText(template: string): string {
  const region = REGIONS[randomInt(REGIONS.length)]!;
  const acct = account();
  const host = randomInt(2) ? `${word()}.registry.example.org:${randomInt(1024, 65535)}` : `10.${randomInt(256)}.${randomInt(256)}.${randomInt(256)}:443`;
  const bindings = new (class extends Map<string, string> {
    override get(key: string): string {
      const [kind, arg] = key.includes(":") ? [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)] : [key, ""];
      if (kind === "registry") return host;
      if (kind === "account") return arg ? account() : acct;
      if (kind === "region") return region;
      if (kind === "taskId") return randomBytes(16).toString("hex");
      if (kind === "secretArn") return `arn:aws:secretsmanager:${region}:${acct}:secret:${word()}/${word()}-${randomBytes(3).toString("base64url").slice(0, 6)}`;
      if (kind === "roleArn") return `arn:aws:iam::${acct}:role/${word()}`;
      if (kind === "keyArn") return `arn:aws:kms:${region}:${acct}:key/${randomUUID()}`;
      throw new Error(`no fresh value for {${key}}`);
    }
  })();
  const names = template.replaceAll("team/app", `${word()}/${word()}`).replaceAll("registry/creds", `${word()}/${word()}`).replaceAll("ecsTaskExecutionRole", word());
  return fillPlaceholders(names, bindings).replace(/\{requestId\}/g, () => randomUUID());
}

describe("diagnose: the catalogue's own texts", () => {
  const texts = catalogueTexts(catalogue);

  it("reads every failing run of every scenario (the catalogue at run time, not a fixed list)", () => {
    const failing = catalogue.flatMap((s) => s.runs.map((r) => ({ ...s.expect, ...r.expect }))).filter((e) => e.failureCode);
    assert.ok(failing.length > 0);
    const codes = new Set(failing.map((e) => e.failureCode));
    assert.deepEqual(new Set(texts.map((t) => t.failureCode)), codes);
    assert.ok(texts.length >= failing.length, `${texts.length} texts for ${failing.length} failing runs`);
  });

  for (const t of texts) {
    it(`${t.scenarioId} (${t.run}, ${t.field}) → ${t.failureCode}, with fresh ids, hosts, ARNs and names`, () => {
      for (let round = 0; round < 3; round++) {
        const text = freshText(t.template);
        const r = diagnoser.diagnose(text);
        assert.ok(r.known, `not recognised: ${text}\nbest: ${r.entries.slice(0, 3).map((e) => `${e.id} ${e.score}`).join(", ")}`);
        const top = r.entries.filter((e) => e.score === 1).map((e) => e.id);
        assert.ok(top.includes(t.failureCode), `${t.failureCode} not among ${top.join(", ")} for ${text}`);
        assert.equal(r.entries[0]!.match, "exact");
      }
    });
  }
});

interface PublicReport {
  source: string;
  text: string;
  expect: string[];
  within?: number;
}

describe("diagnose: real texts from public reports", () => {
  const reports = parseYaml(readFileSync(new URL("../fixtures/diagnose/public-reports.yaml", import.meta.url), "utf8")) as PublicReport[];

  it("has at least ten, each with its source", () => {
    assert.ok(reports.length >= 10);
    for (const r of reports) assert.match(r.source, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+$/);
  });

  for (const report of reports) {
    it(`${report.source} → ${report.expect.join(" or ")}`, () => {
      const r = diagnoser.diagnose(report.text, 5);
      const named = r.entries.slice(0, report.within ?? 1).map((e) => e.id);
      assert.ok(named.some((id) => report.expect.includes(id)), `named ${named.join(", ")}; all: ${r.entries.map((e) => `${e.id} ${e.score}`).join(", ")}`);
    });
  }
});

describe("diagnose: input", () => {
  it("a text nothing resembles is unknown and still shows the nearest entries", () => {
    const r = diagnoser.diagnose("Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/y)", 3);
    assert.equal(r.known, false);
    assert.equal(r.entries.length, 3);
    assert.notEqual(r.entries[0]!.match, "exact");
  });

  it("DescribeTasks: the container's reason stands for 'Essential container in task exited'", () => {
    const input = describeTasksTexts({
      tasks: [
        { taskArn: "arn:aws:ecs:eu-west-1:123456789012:task/prod/abc", stoppedReason: "Essential container in task exited", containers: [{ name: "app", reason: "CannotPullContainerError: context canceled" }] },
        { taskArn: "arn:aws:ecs:eu-west-1:123456789012:task/prod/def", stoppedReason: "Asm fetching username: AuthorizationData is malformed, empty field", containers: [{ name: "app" }] },
      ],
      failures: [],
    });
    assert.deepEqual(input.texts.map((t) => [t.field, t.text]), [
      ["container", "CannotPullContainerError: context canceled"],
      ["stoppedReason", "Asm fetching username: AuthorizationData is malformed, empty field"],
    ]);
    assert.equal(diagnoser.diagnose(input.texts[1]!.text).entries[0]!.id, "cred-no-username");
  });

  it("a JSON document that is not DescribeTasks, or one with no stopped task, is refused with the reason", () => {
    assert.throws(() => readDiagnoseInput('{"taskDefinition": {"family": "x"}}'), (e: Error) => e instanceof NotDescribeTasksError && /no "tasks" list/.test(e.message));
    assert.throws(() => readDiagnoseInput("{not json"), /not valid JSON/);
    assert.throws(() => readDiagnoseInput('{"tasks": [], "failures": [{"arn": "arn:aws:ecs:us-east-1:1:task/x", "reason": "MISSING"}]}'), /no stoppedReason.*MISSING/);
    assert.throws(() => readDiagnoseInput("   "), /empty input/);
  });

  it("classifies what differs run to run and leaves ECS's words alone", () => {
    assert.deepEqual(
      tokenize('failed to resolve ref "10.1.2.3:5000/team/app:v1": dial tcp registry.example.com:443: connect, request id: 0b6e6f8e-8e1b-4f4f-9c4e-2c3d4e5f6a7b, 1.84.0'),
      ["failed", "to", "resolve", "ref", "«ref»", "dial", "tcp", "«host»", "connect", "request", "id", "«id»", "1.84.0"],
    );
  });

  it("a long hostile input is cut, not slow", () => {
    const started = performance.now();
    diagnoser.diagnose("a".repeat(200_000) + " " + "b/".repeat(50_000) + " x".repeat(50_000));
    assert.ok(performance.now() - started < 5000);
  });
});
