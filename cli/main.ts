// Entry point of the `ecs-pull` command: parses the command line and hands each command to the library.
// Every failure ends in a clear message and a documented exit code (cli/exit-codes.ts), never a stack trace.
import { Command, CommanderError } from "commander";
import { reportError, jsonRequested } from "./error-output.ts";
import { EXIT, EXIT_CODE_HELP, EXPLAIN_EXIT_CODE_HELP } from "./exit-codes.ts";
import { ASSUME_ROLE_HELP, addLaunchOptions } from "./launch-options.ts";
// Commands are imported when they run: `--help` should not pay for loading the AWS SDK, express and dockerode.

// With --json, a failure is one JSON document on stdout (cli/error-output.ts): commander's own usage errors too, so
// its text on stderr is held back and reportFailure prints the document instead.
const json = jsonRequested(process.argv.slice(2));

const program = new Command("ecs-pull")
  .description(
    "Reproduce on one machine what Amazon ECS does when a task pulls a private image with repositoryCredentials " +
      "from AWS Secrets Manager: the gates, the execution role, the credential fetch, the pull, and the exact stoppedReason.",
  )
  .version("0.1.0")
  .showHelpAfterError("(run `ecs-pull --help` for usage)")
  .addHelpText("after", `\n${EXIT_CODE_HELP}`)
  .exitOverride()
  .configureOutput(json ? { outputError: () => {}, writeErr: () => {} } : {});

addLaunchOptions(
  program
    .command("run")
    .description("Launch a task definition like the ECS agent would: gates, execution role, credentials, pull; print the outcome")
    .argument("<taskdef.json>", "task definition JSON (the register-task-definition input, or describe-task-definition output)"),
)
  .option("--real-time", "wait out the agent's backoff between attempts in real time (default: simulated agent time — the same attempts, delays and jitter, reported in the trace, without sleeping)")
  .option("--fast", "the default (simulated agent time); kept for old scripts")
  .option("--json", "print one JSON document (task, trace, diagnosis) on stdout")
  .option(
    "--pull-inactivity-timeout <dur>",
    "ECS_IMAGE_PULL_INACTIVITY_TIMEOUT: a pull attempt whose progress stays quiet this long fails with `context canceled` " +
      "(Go duration: 90s, 2m; below 1m the agent uses 1m, 0 its default) (default: 1m; --os-type windows 3m)",
  )
  .option(
    "--pull-timeout <dur>",
    "ECS_IMAGE_PULL_TIMEOUT: one limit for all pull attempts of an image → `DockerTimeoutError: Could not transition to pulled; " +
      "timed out after waiting <dur>` (Go duration) (default: 2h)",
  )
  .option(
    "--manifest-pull-timeout <dur>",
    "ECS_MANIFEST_PULL_TIMEOUT: one limit for the manifest check → `DockerTimeoutError: Could not transition to MANIFEST_PULLED; " +
      "timed out after waiting <elapsed>` (Go duration; below 30s the agent uses 30s) (default: 1m)",
  )
  .option(
    "--via-server",
    "hand the launch to the agent inside the `ecs-pull serve` at --endpoint (or AWS_ENDPOINT_URL): no start-up cost per run; " +
      "the server's Docker engine pulls; prints the same output, without live progress bars; signs with AWS_ACCESS_KEY_ID/" +
      "AWS_SECRET_ACCESS_KEY (default test/test); not with --assume-role sts|off or --iam-check client",
  )
  .addHelpText(
    "after",
    `
Examples:
  ecs-pull serve --port 4566 &
  AWS_ENDPOINT_URL=http://127.0.0.1:4566 ecs-pull run taskdef.json
  ecs-pull run taskdef.json --agent-version 1.83.0 --endpoint http://127.0.0.1:4566 --json
  ecs-pull run taskdef.json --pull-inactivity-timeout 90s --pull-timeout 10m
  ecs-pull run taskdef.json --via-server --endpoint http://127.0.0.1:4566 --json   # many runs in CI: one warm server
  ecs-pull run taskdef.json --real-time            # watch the agent's backoff as it happens
${ASSUME_ROLE_HELP}

${EXIT_CODE_HELP}`,
  )
  .action(async (file: string, opts) => {
    if (opts.viaServer) {
      // Loads no AWS SDK client, dockerode or zod: the server does the work.
      const { runViaServerCommand } = await import("./commands/run-via-server.ts");
      process.exitCode = await runViaServerCommand(file, opts);
    } else {
      const { runCommand } = await import("./commands/run.ts");
      process.exitCode = await runCommand(file, opts);
    }
  });

addLaunchOptions(
  program
    .command("explain")
    .description("Check a task definition up to the pull, without pulling: registration, placement, execution role, the IAM decisions for GetSecretValue and kms:Decrypt (by statement), the secret's existence and value")
    .argument("<taskdef.json>", "task definition JSON (as for run)"),
)
  .option("--json", "print one JSON document (result, trace, decisions, diagnosis)")
  .addHelpText("after", `\n${ASSUME_ROLE_HELP}\n\n${EXPLAIN_EXIT_CODE_HELP}`)
  .action(async (file: string, opts) => {
    const { explainCommand } = await import("./commands/explain.ts");
    process.exitCode = await explainCommand(file, opts);
  });

program
  .command("serve")
  .description("Serve the AWS-compatible emulator (Secrets Manager, KMS, IAM, STS, ECS) and the teaching page on 127.0.0.1 until interrupted")
  .option("--port <port>", "port to listen on (0 picks a free one)", "4566")
  .option("--host <host>", "address to bind; a non-loopback one needs --allow-remote or ECS_PULL_ADMIN_KEY", "127.0.0.1")
  .option("--allow-remote", "bind a non-loopback --host even with the public test/test admin key (prints a warning)")
  .option(
    "--allowed-host <name>",
    "answer requests whose Host header names NAME, besides localhost, 127.0.0.1, [::1] and --host (repeatable; e.g. a compose service name)",
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option("--region <region>", "default region for unsigned requests", "us-east-1")
  .option("--account <id>", "12-digit account of the admin key test/test (and of unsigned requests), so that ARNs carry your account", "000000000000")
  .option(
    "--rotation-function <arn=command|url>",
    "register a rotation function under a Lambda ARN: a local command or an http:// URL that gets the rotation event (repeatable; only here, never through the API)",
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option("--no-verify-signatures", "accept requests whose SigV4 signature is missing or wrong (for clients that cannot sign)")
  .option("--no-ui", "do not serve the teaching page at /ui/")
  .option(
    "--state <dir>",
    "keep all state (secrets, IAM, KMS, sessions, ECS) in DIR across restarts; a change is answered once it is on disk",
  )
  .option(
    "--ecs-instance <cluster:version>",
    "a container instance for the emulator's ECS, e.g. default:1.18.0 or edge:1.95.0:external (repeatable; default: default:<current agent>)",
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option("--real-time", "tasks started with RunTask wait out the agent's backoff in real time (default: simulated agent time)")
  .option("--fast", "the default (simulated agent time); kept for old scripts")
  .option("--log <level>", "print a line per request: all, errors (refusals with the precise reason AWS's text leaves out), off", "errors")
  .addHelpText(
    "after",
    `
Examples:
  ecs-pull serve                                   # http://127.0.0.1:4566, page at /ui/
  ecs-pull serve --port 0 --ecs-instance default:1.18.0
  ecs-pull serve --account 123456789012 \
    --rotation-function arn:aws:lambda:us-east-1:123456789012:function:rotate=./rotate.sh \
    --rotation-function arn:aws:lambda:us-east-1:123456789012:function:stale=builtin:registry-not-propagated
  ecs-pull serve --state ~/.ecs-pull/state            # what you create survives a restart
  ECS_PULL_ADMIN_KEY=AKIDEXAMPLE:my-secret ecs-pull serve --host 0.0.0.0 --allowed-host emulator
  aws --endpoint-url http://127.0.0.1:4566 ecs run-task --task-definition web --cluster default`,
  )
  .action(async (opts) => {
    const { serveCommand } = await import("./commands/serve.ts");
    await serveCommand(opts);
  });

program
  .command("demo")
  .description("Start an emulator and a registry, run one task that works and three that fail, explain each, clean up")
  .option("--json", "print the four outcomes as one JSON document")
  .option("--real-time", "wait out the agent's backoff in real time (default: simulated agent time; the attempts, delays and outcomes are the same either way)")
  .option("--real-delays", "alias of --real-time, kept for old scripts")
  .option("--web", "serve the teaching web page on 127.0.0.1 instead (prints its URL; Ctrl-C stops it)")
  .action(async (opts) => {
    const { demoCommand } = await import("./commands/demo.ts");
    process.exitCode = await demoCommand(opts);
  });

program
  .command("doctor")
  .description("Check this machine: AWS endpoints (resolved, answering), credentials source, Docker engine, registry, AWS CLI")
  .option("--endpoint <url>", "one endpoint for every AWS service (default: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, AWS)")
  .option("--region <region>", "region (default: $AWS_REGION, else us-east-1)")
  .option("--check-aws", "also contact AWS's own endpoints (TCP, STS GetCallerIdentity) for services with no endpoint configured; without it doctor makes no network call to AWS")
  .option("--json", "print the report as one JSON document")
  .addHelpText(
    "after",
    `
Without an endpoint (--endpoint, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) a service means real AWS: doctor says
"no endpoint configured: real AWS" and does not contact it unless --check-aws is given.
AWS CLI: every \`aws\` on PATH and /usr/bin/aws with its version; the one used is ECS_PULL_AWS_CLI, else /usr/bin/aws
when it is v2, else the first v2 on PATH. AWS_ENDPOINT_URL is honoured from AWS CLI 2.13.0 and 1.29.0 only; older
ones go to AWS, so pass --endpoint-url (every version honours it).

Examples:
  ecs-pull doctor --endpoint http://127.0.0.1:4566
  ecs-pull doctor --check-aws            # real AWS: is it reachable, who are my credentials

Exit codes: 0 every essential is there, 1 something essential is missing, 2 usage error`,
  )
  .action(async (opts) => {
    const { doctorCommand } = await import("./commands/doctor.ts");
    process.exitCode = await doctorCommand(opts);
  });

program
  .command("registry-files")
  .description("Write htpasswd + config.yml for docker-compose.yml's registry:2, or with --native for Debian's docker-registry binary (the registry fixture's own renderers)")
  .requiredOption("--user <name:password>", "a registry account (repeatable)", (value: string, all: string[] = []) => [...all, value])
  .option("--out <dir>", "where to write them", "compose/registry")
  .option("--realm <realm>", "the Basic auth realm")
  .option("--native", "a config for `docker-registry serve DIR/config.yml` on this host: absolute paths to DIR/htpasswd and DIR/data, on 127.0.0.1")
  .option("--port <port>", "with --native: the port on 127.0.0.1 (default 5000)")
  .addHelpText(
    "after",
    `
Examples:
  ecs-pull registry-files --user alice:correct-horse                     # then: docker-compose up registry
  ecs-pull registry-files --user alice:correct-horse --native --out ~/registry --port 5000
  docker-registry serve ~/registry/config.yml
  (ecs-pull registry up does both and keeps the registry running for you)

Exit codes: 0 written, 2 usage (a bad --user, --port without --native)`,
  )
  .action(async (opts) => {
    const { registryFilesCommand } = await import("./commands/registry-files.ts");
    process.exitCode = registryFilesCommand(opts);
  });

const registry = program
  .command("registry")
  .description("A registry on 127.0.0.1 that keeps running, holding your own image for your own task definitions: up, down");
const repeatable = (value: string, all: string[] = []) => [...all, value];
registry
  .command("up")
  .description("Start a registry (Debian's docker-registry binary, detached) with htpasswd users and your images; print the host, the image references, the secret's shape and how to stop it")
  .requiredOption("--user <name:password>", "a registry account (repeatable); the password goes into a bcrypt hash only", repeatable)
  .option("--image <ref[=repo:tag]>", "an image from the local Docker engine (docker save through the engine API), pushed as repo:tag (default: its own name) (repeatable)", repeatable)
  .option("--image-tar <file[=repo:tag]>", "an image tarball in the docker-save format (docker save -o FILE), pushed under its own tag or repo:tag (repeatable)", repeatable)
  .option("--synthetic <repo:tag>", "a small synthetic image (2 layers × 64 KiB) (repeatable)", repeatable)
  .option("--port <port>", "port on 127.0.0.1 (0 picks a free one)", "5000")
  .option("--name <name>", "several registries side by side, each by name", "default")
  .option("--auth <htpasswd|token>", "htpasswd (Basic auth), or token: Docker's token auth, a token service (its own detached process) granting each user every repository", "htpasswd")
  .option("--print-secret", "print the secret's JSON with the password you gave (by default a placeholder stands in for it)")
  .option("--json", "print one JSON document (address, pid, images, the secret's shape, how to stop it)")
  .addHelpText(
    "after",
    `
The registry runs on after the command exits; its state (pid, port, config, storage, log) is under
$XDG_RUNTIME_DIR/ecs-pull/registry, else ~/.cache/ecs-pull/registry. \`ecs-pull registry down\` stops it and
removes its files. Docker pulls from 127.0.0.1 over plain HTTP without further configuration.

Examples:
  ecs-pull registry up --user alice:correct-horse --image team/app:v1
  ecs-pull registry up --user alice:correct-horse --image-tar app.tar=team/app:v1 --port 0 --name repro
  ecs-pull registry up --user alice:correct-horse --synthetic team/app:v1 --print-secret
  ecs-pull registry up --user alice:correct-horse --image team/app:v1 --auth token --name token
  ecs-pull registry down

Exit codes:
  0  the registry is up, with every image pushed
  1  environment: no docker-registry binary, the port is taken, the Docker engine does not answer
  2  usage: a bad --user, an image the engine does not have, a file that is not a docker-save archive, a registry
     by that name already up`,
  )
  .action(async (opts) => {
    const { registryUpCommand } = await import("./commands/registry.ts");
    process.exitCode = await registryUpCommand(opts);
  });
registry
  .command("token-service", { hidden: true })
  .argument("<dir>", "the registry's state dir")
  .action(async (dir: string) => {
    const { registryTokenServiceCommand } = await import("./commands/registry.ts");
    process.exitCode = await registryTokenServiceCommand(dir);
  });
registry
  .command("down")
  .description("Stop a registry started with `registry up` and remove its files (storage included)")
  .option("--name <name>", "which one", "default")
  .option("--json", "print one JSON document")
  .addHelpText("after", "\nExamples:\n  ecs-pull registry down\n  ecs-pull registry down --name repro\n\nExit codes: 0 stopped (or there was none), 2 usage")
  .action(async (opts) => {
    const { registryDownCommand } = await import("./commands/registry.ts");
    process.exitCode = await registryDownCommand(opts);
  });

program
  .command("diagnose")
  .description("Offline, no AWS: the catalogue entries that produce a stoppedReason (text, - for stdin, or a DescribeTasks JSON file), best first, with cause, fix and the command that reproduces it")
  .argument("[text|-|file]", "the stoppedReason or container reason, - to read stdin, or a DescribeTasks JSON file")
  .option("--json", "print one JSON document (catalogue ids, scores, causes, fixes)")
  .option("--limit <n>", "entries shown per text (entries tied with the best are always shown)", "5")
  .addHelpText("after", `
Input: the text as one argument (quote it), - to read it from stdin, or a file: the text, or a DescribeTasks
JSON document (aws ecs describe-tasks ... > tasks.json) whose stoppedReason and container reasons are read.

Examples:
  ecs-pull diagnose 'CannotPullContainerError: Error response from daemon: pull access denied for ...'
  aws ecs describe-tasks --cluster prod --tasks "$TASK" > tasks.json && ecs-pull diagnose tasks.json
  aws ecs describe-tasks --cluster prod --tasks "$TASK" --query 'tasks[0].stoppedReason' --output text | ecs-pull diagnose -
  ecs-pull diagnose tasks.json --json          # the catalogue ids, scores and fixes as JSON

Exit codes:
  0  a diagnosis was printed (an unknown text says so and shows the nearest entries)
  2  usage error: no input, unreadable file, a JSON file that is not a DescribeTasks document`)
  .action(async (text: string | undefined, opts) => {
    const { diagnoseCommand } = await import("./commands/diagnose.ts");
    process.exitCode = diagnoseCommand(text, opts);
  });

program
  .command("capture")
  .description("Read-only: a task that stopped in AWS (or a task definition) → a scenario file that reproduces it locally (never GetSecretValue, kms:Decrypt or a write)")
  .option("--task <arn|id>", "the stopped task (DescribeTasks)")
  .option("--cluster <cluster>", "its cluster (default: the task ARN's, else default)")
  .option("--task-definition <family[:rev]|arn>", "a task definition that has not run (no expectation: the file is pending until you add one)")
  .option("--launch-type <type>", "with --task-definition: EC2, FARGATE or EXTERNAL")
  .option("--region <region>", "the task's region (default: the ARN's, else AWS_REGION)")
  .option("--endpoint <url>", "one endpoint for every AWS service (default: the SDK's resolution: AWS_ENDPOINT_URL*, profiles)")
  .option("-o, --output <file>", "write the scenario here (default: print it)")
  .option("--anonymize", "replace account ids, names and hosts consistently (for a bug report)")
  .option("--registry-password <same|different>", "the secret's value is never read: say whether its password is the one the registry accepts (default: inferred from AWS's text, and marked unknown)")
  .option("--json", "print one JSON document (the scenario, what AWS refused, the unknowns)")
  .addHelpText(
    "after",
    `
Reads: DescribeTasks, DescribeContainerInstances, DescribeTaskDefinition, iam:GetRole, ListRolePolicies,
GetRolePolicy, ListAttachedRolePolicies, GetPolicy, GetPolicyVersion, secretsmanager:DescribeSecret,
GetResourcePolicy, kms:DescribeKey, GetKeyPolicy. A read AWS refuses is recorded as unknown; the reproduction
runs on a stated assumption (ecs-pull scenario run FILE --assume ID=CHOICE picks another).

Examples:
  ecs-pull capture --task arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef -o repro.yaml
  ecs-pull capture --task 0123456789abcdef --cluster prod --region eu-west-1 --anonymize -o repro.yaml
  ecs-pull scenario run repro.yaml
  ecs-pull scenario run repro.yaml --assume registry-password=same

Exit codes:
  0  the scenario was written
  1  AWS (or --endpoint) could not be reached
  2  usage: no such task, a task that has not stopped, ECS refused the reads, bad flags`,
  )
  .action(async (opts) => {
    const { captureCommand } = await import("./commands/capture.ts");
    process.exitCode = await captureCommand(opts);
  });

const scenario = program.command("scenario").description("The failure catalogue: list, show and run scenarios (a world, a task, the exact outcome ECS shows)");
scenario
  .command("list")
  .description("List the catalogue's scenarios by section")
  .option("--json", "print JSON")
  .action(async (opts) => {
    const { scenarioListCommand } = await import("./commands/scenario.ts");
    process.exitCode = scenarioListCommand(opts);
  });
scenario
  .command("show")
  .description("Print a scenario (passwords and secret values redacted)")
  .argument("<id|file>", "a catalogue id (ecs-pull scenario list) or a scenario file")
  .option("--json", "print JSON")
  .action(async (id: string, opts) => {
    const { scenarioShowCommand } = await import("./commands/scenario.ts");
    process.exitCode = scenarioShowCommand(id, opts);
  });
scenario
  .command("run")
  .description("Build each scenario's world in a fresh emulator and registry, run its task(s), compare with the expectation")
  .argument("[id|file...]", "catalogue ids or scenario files (YAML or JSON)")
  .option("--all", "run the whole catalogue")
  .option("--real-time", "wait out the agent's backoff in real time and keep the agent's own timeouts (default: simulated agent time, the deliberately slow worlds' timeouts capped)")
  .option("--fast", "the default; kept for old scripts")
  .option("--json", "print one JSON document (summary and per-scenario reports)")
  .option(
    "--assume <id=choice>",
    "a captured scenario's unknown (ecs-pull capture): run on another assumption, e.g. registry-password=same (repeatable)",
    (value: string, all: string[] = []) => [...all, value],
  )
  .addHelpText("after", "\nExamples:\n  ecs-pull scenario run cred-kms\n  ecs-pull scenario run pull-registry-down --real-time           # sleep through the agent's backoff\n  ecs-pull scenario run repro.yaml                              # a captured failure: AWS's text vs ours, first difference marked\n  ecs-pull scenario run repro.yaml --assume registry-password=same\n\nExit codes:\n  0  every scenario matched (pending ones skipped)\n  1  a scenario did not match, or its world could not be built\n  2  usage: unknown id, invalid scenario file (the bad field is named)")
  .action(async (ids: string[], opts) => {
    const { scenarioRunCommand } = await import("./commands/scenario.ts");
    process.exitCode = await scenarioRunCommand(ids, opts);
  });

scenario
  .command("export")
  .description("The world built by hand against `ecs-pull serve` (AWS CLI, SDK, the page) → a scenario file in the catalogue's schema")
  .requiredOption("--endpoint <url>", "the ecs-pull serve to read")
  .requiredOption("--task-definition <family[:rev]>", "the task definition (its latest stopped task, if any, gives the expectation: use capture --task for one task)")
  .option("--cluster <cluster>", "the cluster whose stopped tasks are looked at (default: default)")
  .option("--region <region>", "region (default: AWS_REGION, else us-east-1)")
  .option("--launch-type <type>", "EC2, FARGATE or EXTERNAL, when no stopped task gives it (default EC2)")
  .option("-o, --output <file>", "write the scenario here (default: print it)")
  .option("--json", "print one JSON document")
  .addHelpText("after", "\nExamples:\n  ecs-pull scenario export --endpoint http://127.0.0.1:4566 --task-definition web -o web.yaml\n  ecs-pull scenario run web.yaml\n\nExit codes: 0 written, 1 the endpoint could not be reached, 2 usage (no such task definition, bad flags)")
  .action(async (opts) => {
    const { captureCommand } = await import("./commands/capture.ts");
    process.exitCode = await captureCommand({ ...opts, region: opts.region ?? process.env.AWS_REGION ?? "us-east-1" }, "export");
  });

// Not a top-level await: the published command is bundled as CommonJS (scripts/bundle-cli.mjs).
program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = reportFailure(error);
});

function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; they have already been printed.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
    // Without --json commander has printed its message already.
    return json ? reportError(EXIT.USAGE, error.message.replace(/^error: /, ""), true) : EXIT.USAGE;
  }
  // By name, not instanceof: in the published package the commands are bundled apart from this file
  // (scripts/bundle-cli.mjs), each bundle with its own copy of UsageError and EnvironmentError.
  if (isError(error, "UsageError")) return reportError(EXIT.USAGE, error.message, json);
  if (isError(error, "EnvironmentError")) return reportError(EXIT.ENVIRONMENT, error.message, json);
  // Anything else is a bug in the tool: one line, not a stack trace, unless asked for.
  const message = error instanceof Error ? error.message : String(error);
  reportError(EXIT.ENVIRONMENT, `internal error: ${message}`, json);
  if (process.env.ECS_PULL_DEBUG) console.error(error);
  return EXIT.ENVIRONMENT;
}

function isError(error: unknown, name: "UsageError" | "EnvironmentError"): error is Error {
  return error instanceof Error && error.name === name;
}
