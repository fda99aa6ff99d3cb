// Fakes of the execution-role seam for the agent-role* unit tests: an ExecutionRolePort that answers a session,
// nothing, or ECS's refusal, and an IamReaderPort that answers a fixed snapshot.
import { UnableToAssumeRoleError, sessionArnOf } from "../../agent-sim/steps/execution-role.ts";
import type { ExecutionRolePort, ExecutionRoleSession } from "../../agent-sim/steps/execution-role.ts";
import type { IamReaderPort, IamSnapshot } from "../../agent-sim/adapters/iam-reader.ts";

export class FakeExecutionRole implements ExecutionRolePort {
  calls: { roleArn: string; region: string; sessionName: string }[] = [];
  constructor(private readonly answer: "session" | "none" | "untrusted" = "session") {}
  async assumeRole(input: { roleArn: string; region: string; sessionName: string }): Promise<ExecutionRoleSession | undefined> {
    this.calls.push(input);
    if (this.answer === "untrusted") throw new UnableToAssumeRoleError(input.roleArn, "AccessDeniedException: not trusted");
    if (this.answer === "none") return undefined;
    return { roleArn: input.roleArn, sessionArn: sessionArnOf(input.roleArn, input.sessionName), credentials: { accessKeyId: "ASIAFAKE", secretAccessKey: "fake" } };
  }
}

export class FakeIamReader implements IamReaderPort {
  reads = 0;
  constructor(private readonly snapshot: IamSnapshot) {}
  async read(): Promise<IamSnapshot> {
    this.reads++;
    return this.snapshot;
  }
}
