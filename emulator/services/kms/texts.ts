// KMS texts for alias validation, key tags and multi-Region keys, once each (the older KMS texts live in
// protocol/aws-texts.ts). Sources: moto (getmoto/moto, moto/kms/responses.py _set_alias, models.py), which mirrors
// AWS's answers; UNCONFIRMED marks our own wording. Shapes and limits: botocore's kms/2014-11-01 service model.

export const KmsAliasText = {
  /** ValidationException: an alias name with `:` (moto). */
  invalidCharacters: (aliasName: string) => `${aliasName} contains invalid characters for an alias`,
  /** ValidationException: CreateAlias with an alias as TargetKeyId (moto). */
  mustReferToKey: "Aliases must refer to keys. Not aliases",
} as const;

/** The model's AliasNameType pattern, quoted in the ValidationException for a name with other characters (e.g. `!`). */
export const ALIAS_NAME_PATTERN_TEXT = "^[a-zA-Z0-9:/_-]+$";

export const KmsTagText = {
  /** UNCONFIRMED: TagException, more than 50 tags on a key. */
  tooManyTags: "A key can have at most 50 tags.",
} as const;

export const MultiRegionText = {
  /** UNCONFIRMED: UnsupportedOperationException, ReplicateKey on a single-Region key or on a replica. */
  notMultiRegionPrimary: (keyArn: string) => `${keyArn} is not a multi-Region primary key.`,
  /** UNCONFIRMED: ValidationException, ReplicateKey into the primary's own region. */
  sameRegion: "The replica region must differ from the primary key's region.",
  /** UNCONFIRMED: AlreadyExistsException, ReplicateKey into a region that already has the replica. */
  replicaExists: (keyArn: string) => `${keyArn} already exists.`,
} as const;
