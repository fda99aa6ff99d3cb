// RunTask placement, simulated (ECS-BEHAVIOR.md §2): can this launch run a task that uses repositoryCredentials?
// EC2/EXTERNAL need an agent advertising the private-registry attribute (>= 1.19.0); Fargate needs a definition
// that is FARGATE-compatible and platform >= 1.2.0.
import type { LaunchContext } from "../profile/launch-context.ts";
import type { TaskDefinition } from "./task-definition.ts";
import { PRIVATE_REGISTRY_ATTRIBUTE, RUN_TASK } from "../texts/agent.ts";
import { agentProfile } from "../profile/agent-profile.ts";

export type GateFailureCode = "gate-agent-old" | "gate-fargate-old" | "gate-fargate-incompatible" | "gate-untrusted-role";

export type PlacementFailure =
  | {
      /** RunTask returned no task and `failures: [{arn, reason: "ATTRIBUTE"}]`. */
      kind: "failures";
      failures: { arn: string; reason: string }[];
      /** The attribute the task needs and the instance lacks. */
      missingAttribute: string;
      /** The event a service logs (the second sentence is inferred); only when a service places the task. */
      serviceEvent?: string;
      failureCode: GateFailureCode;
    }
  | {
      /** RunTask raised an exception (Fargate platform errors; ECS unable to assume the execution role). */
      kind: "exception";
      code: "PlatformUnknownException" | "PlatformTaskDefinitionIncompatibilityException" | "InvalidParameterException" | "ClientException";
      message: string;
      failureCode: GateFailureCode;
      /** The Fargate platform texts and RunTask's launch-type text are inferred; the assume-role ClientException is AWS's text. */
      inferred?: true;
    };

export type GateResult = { ok: true } | { ok: false; failure: PlacementFailure };

/** The one simulated container instance; its id is stable per cluster so outputs are reproducible. */
export function containerInstanceId(cluster: string): string {
  let hash = 0x811c9dc5;
  const out: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${cluster}#${round}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out.push(hash.toString(16).padStart(8, "0"));
  }
  return out.join("");
}

export function containerInstanceArn(launch: LaunchContext): string {
  return `arn:aws:ecs:${launch.region}:${launch.account}:container-instance/${launch.cluster}/${containerInstanceId(launch.cluster)}`;
}

export const usesRepositoryCredentials = (td: TaskDefinition) =>
  td.containerDefinitions.some((c) => c.repositoryCredentials !== undefined);

/**
 * The launch types a registered definition is compatible with (RegisterTaskDefinition's `compatibilities`): EC2 and
 * EXTERNAL always; FARGATE only when `requiresCompatibilities` asks for it (registration has then checked Fargate's
 * requirements: steps/task-definition.ts fargateRules). A definition that names no `requiresCompatibilities` is
 * validated for EC2 only, so RunTask/UpdateService refuse it on FARGATE (sil-org/ecs-deploy#129, #134: "EC2 is
 * default"). The emulator's RegisterTaskDefinition and RunTask read the same notion.
 */
export function supportsLaunchType(td: Pick<TaskDefinition, "requiresCompatibilities">, launchType: LaunchContext["launchType"]): boolean {
  if (launchType !== "FARGATE") return true;
  return (td.requiresCompatibilities ?? []).includes("FARGATE");
}

/** `serviceName`: the service that places the task; a standalone RunTask (none) has no service event. */
export function checkGates(td: TaskDefinition, launch: LaunchContext, serviceName?: string): GateResult {
  const profile = agentProfile(launch);
  if (launch.launchType === "FARGATE") {
    // RunTask validates the definition against the launch type before the platform (the order is inferred).
    if (!supportsLaunchType(td, "FARGATE")) {
      return {
        ok: false,
        failure: {
          kind: "exception",
          code: "InvalidParameterException",
          message: RUN_TASK.launchTypeUnsupported("FARGATE"),
          failureCode: "gate-fargate-incompatible",
          inferred: true,
        },
      };
    }
    // Retired (1.0.0, 1.1.0) and never-released versions are unknown to RunTask today.
    if (profile.fargatePlatformPlaceable !== true) {
      return {
        ok: false,
        failure: {
          kind: "exception",
          code: "PlatformUnknownException",
          message: RUN_TASK.platformUnknown,
          failureCode: "gate-fargate-old",
          inferred: true,
        },
      };
    }
    return { ok: true };
  }
  if (usesRepositoryCredentials(td) && !profile.privateRegistryAuth) {
    const id = containerInstanceId(launch.cluster);
    return {
      ok: false,
      failure: {
        kind: "failures",
        failures: [{ arn: containerInstanceArn(launch), reason: RUN_TASK.placementAttribute }],
        missingAttribute: PRIVATE_REGISTRY_ATTRIBUTE,
        ...(serviceName !== undefined && { serviceEvent: RUN_TASK.serviceUnableToPlace(serviceName) + RUN_TASK.closestInstanceMissingAttribute(id) }),
        failureCode: "gate-agent-old",
      },
    };
  }
  return { ok: true };
}
