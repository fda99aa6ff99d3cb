#!/usr/bin/env node
// The `ecs-pull` command. The project ships TypeScript sources; tsx loads them without a build step.
import { register } from "tsx/esm/api";

// The pinned AWS SDK supports Node 20; its notice about future releases is noise in a command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
await import("../cli/main.ts");
