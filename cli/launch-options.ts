// The launch flags `run` and `explain` share: launch type and versions, region/account/cluster, the endpoint, the
// instance's engine auth, and how the execution role is assumed and IAM decided. Only commander here (cheap to load).
import { type Command, Option } from "commander";

export function addLaunchOptions(command: Command): Command {
  return command
    .addOption(new Option("--launch-type <type>", "launch type").choices(["EC2", "FARGATE", "EXTERNAL"]).default("EC2"))
    .option("--agent-version <version>", "ECS container agent version (EC2/EXTERNAL); default: a current agent")
    .option("--platform-version <version>", "Fargate platform version, e.g. 1.4.0 (default: LATEST)")
    .option("--region <region>", "the task's region (default: $AWS_REGION, else us-east-1)")
    .option("--account <id>", "the task's account id", "000000000000")
    .option("--cluster <name>", "cluster name", "default")
    .option("--endpoint <url>", "AWS endpoint (Secrets Manager, IAM, KMS, STS) (default: the AWS SDK's resolution, AWS_ENDPOINT_URL[_<SERVICE>])")
    .option("--engine-auth-type <type>", "ECS_ENGINE_AUTH_TYPE of the instance: docker or dockercfg (default: $ECS_ENGINE_AUTH_TYPE)")
    .option("--engine-auth-data <json>", "ECS_ENGINE_AUTH_DATA of the instance (default: $ECS_ENGINE_AUTH_DATA)")
    .addOption(
      new Option(
        "--image-pull-behavior <behavior>",
        "ECS_IMAGE_PULL_BEHAVIOR of the instance (EC2/EXTERNAL): default (a failed pull still tries the cached image), always, " +
          "once (pull only what this agent never pulled), prefer-cached (use the engine's image if present) (default: $ECS_IMAGE_PULL_BEHAVIOR, else default)",
      ).choices(["default", "always", "once", "prefer-cached"]),
    )
    .addOption(
      new Option("--os-type <os>", "the container instance's OS (EC2/EXTERNAL): windows changes the agent's defaults (inactivity timeout 3m)")
        .choices(["linux", "windows"]),
    )
    .addOption(
      new Option(
        "--assume-role <how>",
        "how the execution role is assumed: emulator (AssumeRoleAsService, as ecs-tasks.amazonaws.com), sts (AssumeRole as the caller: " +
          "the role's trust policy must then trust the caller too), off (the caller's own credentials) (default: emulator with an endpoint, else sts)",
      ).choices(["emulator", "sts", "off"]),
    )
    .addOption(
      new Option(
        "--iam-check <mode>",
        "who decides IAM: server (the backend enforces; ecs-pull reads the policies to explain a denial), client (ecs-pull decides " +
          "from the policies it reads, for backends that do not enforce IAM such as LocalStack), off (no policy reads)",
      )
        .choices(["server", "client", "off"])
        .default("server"),
    );
}

export const ASSUME_ROLE_HELP = `
The execution role: before fetching credentials, ECS assumes the task's executionRoleArn as the service
ecs-tasks.amazonaws.com. A role ECS cannot assume (its trust policy does not allow ecs-tasks.amazonaws.com, or it
does not exist) makes RunTask fail with ClientException "ECS was unable to assume the role '<arn>' ...": no task,
exit code 4 (not placed), failureCode gate-untrusted-role.`;
