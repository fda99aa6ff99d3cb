// Secrets Manager's state in one account and region: secrets by name and by ARN, their versions and staging
// labels. Plain data and O(1) lookups; the rules (who may change what) live in services/secretsmanager.

export interface Tag {
  Key: string;
  Value: string;
}

export interface SecretVersion {
  readonly versionId: string;
  /**
   * At most one of the two is set; neither on the version RotateSecret makes (AWSPENDING) until the rotation
   * function's createSecret step puts its value (PutSecretValue with the same token).
   */
  secretString?: string;
  /** Base64, as it travels on the wire, so that answers need no re-encoding. */
  secretBinary?: string;
  readonly createdDate: number;
  /** Staging labels, in the order they were attached. */
  stages: string[];
}

export interface SecretRecord {
  readonly arn: string;
  readonly name: string;
  /** Creation order in this partition: the ListSecrets order and its NextToken. */
  readonly seq: number;
  readonly createdDate: number;
  description?: string;
  /** KmsKeyId as the caller gave it, for a customer managed key only (DescribeSecret shows it). */
  kmsKeyId?: string;
  /** The ARN of the key the secret's values are encrypted under; absent: the account's `aws/secretsmanager` key. */
  kmsKeyArn?: string;
  /** The resource policy (PutResourcePolicy), as stored. */
  resourcePolicy?: string;
  /** Undefined until the secret is created with tags or tagged (then `[]` after untagging all, like AWS). */
  tags?: Tag[];
  lastChangedDate: number;
  lastAccessedDate?: number;
  /** Set while the secret is scheduled for deletion: when DeleteSecret was called. */
  deletedDate?: number;
  /** When a scheduled deletion happens (DeleteSecret's DeletionDate). */
  deletionDate?: number;
  /** Versions in creation order. */
  readonly versions: Map<string, SecretVersion>;
  /** Staging label → version id. */
  readonly stages: Map<string, string>;
  /** Rotation (RotateSecret/CancelRotateSecret): set once rotation was configured. */
  rotation?: RotationConfig;
  /** When the last rotation finished (AWSCURRENT moved by a rotation). */
  lastRotatedDate?: number;
  /** On a primary: its replicas in other regions, in the order they were added. */
  replicas?: ReplicaStatus[];
  /** On a replica: the primary's region (DescribeSecret's PrimaryRegion); writes are refused while it is set. */
  primaryRegion?: string;
}

/** RotationRules as the caller gave them (plain data). */
export interface RotationRules {
  AutomaticallyAfterDays?: number;
  Duration?: string;
  ScheduleExpression?: string;
}

export interface RotationConfig {
  enabled: boolean;
  lambdaArn?: string;
  rules?: RotationRules;
  /** Milliseconds since the epoch. */
  nextRotationDate?: number;
}

export interface ReplicaStatus {
  region: string;
  /** The KmsKeyId the caller gave for this replica (absent: the region's aws/secretsmanager key). */
  kmsKeyId?: string;
  status: "InSync" | "Failed" | "InProgress";
  statusMessage?: string;
}

export class SecretsManagerState {
  private readonly byName = new Map<string, SecretRecord>();
  private readonly byArn = new Map<string, SecretRecord>();
  private nextSeq = 1;

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  takeSeq(): number {
    return this.nextSeq++;
  }

  getByName(name: string): SecretRecord | undefined {
    return this.byName.get(name);
  }

  getByArn(arn: string): SecretRecord | undefined {
    return this.byArn.get(arn);
  }

  put(record: SecretRecord): void {
    this.byName.set(record.name, record);
    this.byArn.set(record.arn, record);
  }

  remove(record: SecretRecord): void {
    if (this.byName.get(record.name) === record) this.byName.delete(record.name);
    this.byArn.delete(record.arn);
  }

  /** All secrets in creation order (Map iteration order is insertion order; seq breaks no ties). */
  all(): SecretRecord[] {
    return [...this.byArn.values()];
  }
}
