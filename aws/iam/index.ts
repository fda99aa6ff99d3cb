// The IAM policy evaluator's public API: grammar (parse/validate, AWS error texts), compilation, evaluation with
// explanations, and the AWS managed policies the emulator knows.
export {
  parsePolicy,
  validatePolicy,
  policySize,
  checkManagedPolicySize,
  checkRoleInlinePolicySize,
  splitConditionOperator,
  MalformedPolicyDocument,
  LimitExceeded,
} from "./policy-grammar.ts";
export type {
  PolicyKind,
  PolicyVersion,
  ParseOptions,
  PolicyDocument,
  PolicyStatement,
  PrincipalBlock,
  ConditionEntry,
  PolicyValidation,
} from "./policy-grammar.ts";
export { compilePolicy, compileDocument, clearPolicyCache } from "./compile.ts";
export type { CompiledPolicy, CompiledStatement } from "./compile.ts";
export { evaluate } from "./evaluate.ts";
export type {
  AuthorizationRequest,
  ContextValue,
  Decision,
  IdentityPolicyRef,
  BoundaryPolicyRef,
  ResourcePolicyRef,
  SessionPolicyRef,
  PolicySet,
  PolicyType,
  StatementRef,
  StatementOutcome,
  StatementTrace,
  RequestPrincipal,
  PrincipalType,
} from "./evaluate.ts";
export { describeStatement, EXPLICIT_DENY_OVERRIDES, NO_REQUEST_VALUE } from "./explain.ts";
export { statementPositions } from "./statement-positions.ts";
export type { StatementPosition, TextPosition } from "./statement-positions.ts";
export { AmazonECSTaskExecutionRolePolicy, AWS_MANAGED_POLICIES, findManagedPolicy } from "./managed-policies.ts";
export type { ManagedPolicy } from "./managed-policies.ts";
export * from "./texts.ts";
