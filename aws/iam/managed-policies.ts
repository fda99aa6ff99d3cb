// AWS managed policies the emulator knows, as data: the exact documents AWS publishes, with their ARNs.
// AmazonECSTaskExecutionRolePolicy grants ECR pulls and CloudWatch Logs — and nothing in Secrets Manager,
// which is why a task with repositoryCredentials also needs its own secretsmanager:GetSecretValue allow.

export interface ManagedPolicy {
  name: string;
  arn: string;
  path: string;
  document: string;
}

export const AmazonECSTaskExecutionRolePolicy: ManagedPolicy = {
  name: "AmazonECSTaskExecutionRolePolicy",
  arn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
  path: "/service-role/",
  document: JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: [
            "ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
          ],
          Resource: "*",
        },
      ],
    },
    null,
    4,
  ),
};

export const AWS_MANAGED_POLICIES: readonly ManagedPolicy[] = [AmazonECSTaskExecutionRolePolicy];

/** The AWS managed policy with this ARN, if the emulator knows it. */
export function findManagedPolicy(arn: string): ManagedPolicy | undefined {
  return AWS_MANAGED_POLICIES.find((p) => p.arn === arn);
}
