#!/usr/bin/env node
// The `ecs-pull` command. The project ships TypeScript sources; tsx loads them without a build step.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
