// The Docker engine the tests use (DOCKER_HOST, /var/run/docker.sock, or the private one in .runtime/env), or
// undefined when none answers, so that a test can skip with a reason instead of failing on a machine without one.
import Docker from "dockerode";
import { dockerodeOptions, findDockerHost } from "../../registry-fixture/engine.ts";

export async function reachableEngine(timeoutMs = 60_000): Promise<Docker | undefined> {
  const host = findDockerHost();
  const options = host ? dockerodeOptions(host) : undefined;
  if (!options) return undefined;
  const docker = new Docker({ ...options, timeout: timeoutMs });
  try {
    await docker.ping();
    return docker;
  } catch {
    return undefined;
  }
}
