// SHA-256 and HMAC-SHA-256 on node:crypto in the shape @smithy/signature-v4 expects (a Checksum constructor):
// several times faster than the pure-JS @aws-crypto/sha256-js. For the tests and benches that sign with the SDK's
// signer (the emulator's own check, signature.ts, calls node:crypto directly).
import { type Hash, type Hmac, createHash, createHmac } from "node:crypto";
import type { Checksum, SourceData } from "@smithy/types";

export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = NodeSha256.create(secret);
  }

  private static create(secret: SourceData | undefined): Hash | Hmac {
    if (secret === undefined) return createHash("sha256");
    return createHmac("sha256", typeof secret === "string" ? secret : Buffer.from(secret instanceof ArrayBuffer ? new Uint8Array(secret) : new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)));
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = NodeSha256.create(this.secret);
  }
}
