// Fargate platform >= 1.4.0: the containerd-based pull path and its texts.
export { pullFargateImage } from "./pull.ts";
export type { FargatePullRequest, FargatePullResult } from "./pull.ts";
export { fargateResolveFailureText, fargateRefPullFailureText, containerdResolveCause, goTransportText } from "./pull-error-text.ts";
export type { FargatePullText } from "./pull-error-text.ts";
