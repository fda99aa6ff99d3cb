// What a Query-protocol service (IAM, STS) plugs into the emulator: its SigV4 signing name, API version, XML
// namespace and a table of operations. Requests are routed by `Action` and the credential scope's service name;
// unsigned requests (signature checking off) by the Action alone.
import type { RequestContext } from "../context.ts";
import { AwsError } from "./aws-error.ts";
import { QueryText, invalidActionText } from "../../aws/texts.ts";
import type { QueryInput } from "./query-wire.ts";
import type { XmlValue } from "./xml.ts";

/** One API operation: the `<ActionResult>` members, or undefined for answers without a result (DeleteRole). */
export type QueryOperation = (ctx: RequestContext, input: QueryInput) => Record<string, XmlValue> | undefined | Promise<Record<string, XmlValue> | undefined>;

export interface QueryService {
  /** Short name used in stats and logs, and the SigV4 signing name: `sts`, `iam`. */
  readonly name: string;
  readonly version: string;
  readonly namespace: string;
  readonly operations: Readonly<Record<string, QueryOperation>>;
}

export interface RoutedQueryCall {
  service: QueryService;
  operation: string;
  handler: QueryOperation;
}

export class QueryRegistry {
  private readonly services = new Map<string, QueryService>();

  add(service: QueryService): this {
    if (this.services.has(service.name)) throw new Error(`duplicate query service ${service.name}`);
    this.services.set(service.name, service);
    return this;
  }

  /** The service a request is for: the signing name when signed, else the one that has the Action. */
  serviceFor(action: string | undefined, signingService: string | undefined): QueryService | undefined {
    if (signingService !== undefined) {
      const signed = this.services.get(signingService);
      if (signed !== undefined) return signed;
    }
    if (action !== undefined) for (const s of this.services.values()) if (Object.hasOwn(s.operations, action)) return s;
    return undefined;
  }

  /** The XML namespace errors use when no service could be told (STS's, the first registered). */
  get fallback(): QueryService | undefined {
    return this.services.values().next().value;
  }

  /** Throws InvalidAction when nothing serves the Action. */
  route(action: string | undefined, version: string | undefined, signingService: string | undefined): RoutedQueryCall {
    if (action === undefined || action === "") throw new AwsError("MissingAction", QueryText.missingAction);
    const service = this.serviceFor(action, signingService);
    if (service !== undefined && Object.hasOwn(service.operations, action)) {
      return { service, operation: action, handler: service.operations[action]! };
    }
    throw new AwsError("InvalidAction", invalidActionText(action, version ?? service?.version ?? ""));
  }
}
