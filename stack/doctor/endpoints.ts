// Which endpoint each AWS service of a pull resolves to, by the SDK's documented precedence: an explicit
// --endpoint, then AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS's own regional endpoint. Pure: it
// reads only the env object it is given (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS switches the env variables off).

export const DOCTOR_SERVICES = ["secretsmanager", "sts", "iam", "kms"] as const;
export type DoctorService = (typeof DOCTOR_SERVICES)[number];

/** The SDK's per-service variable (the service id, upper-cased, spaces → underscores). */
export const SERVICE_ENDPOINT_ENV: Record<DoctorService, string> = {
  secretsmanager: "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  sts: "AWS_ENDPOINT_URL_STS",
  iam: "AWS_ENDPOINT_URL_IAM",
  kms: "AWS_ENDPOINT_URL_KMS",
};

export type EndpointSource = "--endpoint" | "AWS_ENDPOINT_URL_<SERVICE>" | "AWS_ENDPOINT_URL" | "AWS default";

export interface ResolvedEndpoint {
  service: DoctorService;
  url: string;
  /** Where the URL came from; for AWS_ENDPOINT_URL_<SERVICE> the variable's real name is in `variable`. */
  source: EndpointSource;
  variable?: string;
  /** local: a loopback host (the emulator or a LocalStack); aws: AWS's endpoint; remote: anything else. */
  kind: "local" | "aws" | "remote";
}

export class EndpointError extends Error {
  override readonly name = "EndpointError";
}

/** AWS's endpoint for a service in a region (IAM is global; STS is regional in SDK v3). */
export function awsEndpoint(service: DoctorService, region: string): string {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return service === "iam" ? `https://iam.${suffix}` : `https://${service}.${region}.${suffix}`;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\./.test(host) || host === "0.0.0.0";
}

function checkedUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EndpointError(`${what} is not a URL: ${JSON.stringify(value)} (expected e.g. http://127.0.0.1:4566)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new EndpointError(`${what} must be an http:// or https:// URL, got ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, "");
}

export function resolveEndpoint(service: DoctorService, region: string, env: NodeJS.ProcessEnv, endpointFlag?: string): ResolvedEndpoint {
  const kindOf = (url: string): ResolvedEndpoint["kind"] => (isLoopbackHost(new URL(url).hostname) ? "local" : "remote");
  if (endpointFlag !== undefined) {
    const url = checkedUrl(endpointFlag, "--endpoint");
    return { service, url, source: "--endpoint", kind: kindOf(url) };
  }
  const ignoreEnv = /^true$/i.test(env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] ?? "");
  const variable = SERVICE_ENDPOINT_ENV[service];
  if (!ignoreEnv && env[variable]) {
    const url = checkedUrl(env[variable]!, variable);
    return { service, url, source: "AWS_ENDPOINT_URL_<SERVICE>", variable, kind: kindOf(url) };
  }
  if (!ignoreEnv && env["AWS_ENDPOINT_URL"]) {
    const url = checkedUrl(env["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL");
    return { service, url, source: "AWS_ENDPOINT_URL", variable: "AWS_ENDPOINT_URL", kind: kindOf(url) };
  }
  return { service, url: awsEndpoint(service, region), source: "AWS default", kind: "aws" };
}

export function resolveEndpoints(region: string, env: NodeJS.ProcessEnv, endpointFlag?: string): ResolvedEndpoint[] {
  return DOCTOR_SERVICES.map((service) => resolveEndpoint(service, region, env, endpointFlag));
}
