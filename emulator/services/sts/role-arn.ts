// Role ARNs as STS reads them: `arn:aws:iam::<account>:role/<path/><name>`.

export interface RoleArnParts {
  partition: string;
  account: string;
  /** `/` or `/a/b/`. */
  path: string;
  roleName: string;
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;

export function parseRoleArn(arn: string): RoleArnParts | undefined {
  const m = ROLE_ARN.exec(arn);
  return m === null ? undefined : { partition: m[1]!, account: m[2]!, path: m[3]!, roleName: m[4]! };
}

export function roleArn(account: string, path: string, roleName: string): string {
  return `arn:aws:iam::${account}:role${path}${roleName}`;
}
