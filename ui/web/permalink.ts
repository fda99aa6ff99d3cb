// The permalink: scenario, launch context and edits in the URL hash (#s=…&r=…&e=…), base64url JSON for the edits.
import type { LaunchOverrides, RunEdits } from "../protocol.ts";

export interface PageState {
  scenario?: string;
  run: number;
  launch: LaunchOverrides;
  edits: RunEdits;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  bytes.forEach((b) => (bin += String.fromCharCode(b)));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function encodeState(s: PageState): string {
  const p = new URLSearchParams();
  if (s.scenario) p.set("s", s.scenario);
  if (s.run) p.set("r", String(s.run));
  if (s.launch.launchType) p.set("lt", s.launch.launchType);
  if (s.launch.agentVersion) p.set("av", s.launch.agentVersion);
  if (s.launch.platformVersion) p.set("pv", s.launch.platformVersion);
  const hasEdits = Object.keys(s.edits.policies ?? {}).length > 0 || s.edits.taskDefinition !== undefined;
  if (hasEdits) p.set("e", toBase64Url(JSON.stringify(s.edits)));
  return `#${p.toString()}`;
}

/** Whatever of the hash makes sense; a damaged part is dropped, never an error. */
export function decodeState(hash: string): PageState {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  const state: PageState = { run: Number(p.get("r")) || 0, launch: {}, edits: {} };
  const s = p.get("s");
  if (s) state.scenario = s;
  const lt = p.get("lt");
  if (lt === "EC2" || lt === "FARGATE" || lt === "EXTERNAL") state.launch.launchType = lt;
  const av = p.get("av");
  if (av) state.launch.agentVersion = av;
  const pv = p.get("pv");
  if (pv) state.launch.platformVersion = pv;
  const e = p.get("e");
  if (e) {
    try {
      const edits = JSON.parse(fromBase64Url(e)) as RunEdits;
      if (edits && typeof edits === "object") state.edits = edits;
    } catch {
      // A damaged permalink still opens the scenario.
    }
  }
  return state;
}
