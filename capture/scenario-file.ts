// A captured scenario as the YAML file a user commits: a comment header (where it came from, the images as the
// task definition named them, what AWS refused and what is assumed instead), then the scenario in the catalogue's
// schema. The file holds no secret: the registry password in it is generated locally, never read from AWS.
import { stringify } from "yaml";
import type { Capture } from "./capture.ts";

export function scenarioFileText(capture: Capture, header: string[] = []): string {
  const lines = [
    "# Captured by `ecs-pull capture` (read-only: no GetSecretValue, no kms:Decrypt, no write).",
    ...header.map((h) => `# ${h}`),
    "# Reproduce it: ecs-pull scenario run <this file>   (exit 0 when the local outcome matches AWS's, 1 when not)",
  ];
  const images = Object.entries(capture.originalImages);
  if (images.length) {
    lines.push("# Images as the task definition names them (mapped to the local registry fixture below):");
    for (const [container, image] of images) lines.push(`#   ${container}: ${image}`);
  }
  if (capture.refused.length) {
    lines.push("# AWS refused these reads (what they would have shown is an unknown below):");
    for (const r of capture.refused) lines.push(`#   ${r}`);
  }
  for (const u of capture.scenario.unknowns ?? []) lines.push(`# Unknown ${u.id}: ${u.what}; assumed: ${u.choices[u.assume]} (--assume ${u.id}=<${Object.keys(u.choices).join("|")}>)`);
  return `${lines.join("\n")}\n${stringify(capture.scenario, { lineWidth: 0 })}`;
}
