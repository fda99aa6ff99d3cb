// A LocalStack container that refused to start for want of an auth token. LocalStack images released from
// 2026-03-23 on (2026.3.x, `latest`, 4.15 and later) exit at start with code 55 and "The license activation failed
// for the following reason: No credentials were found in the environment. Please make sure to either set the
// LOCALSTACK_AUTH_TOKEN variable …" when LOCALSTACK_AUTH_TOKEN is missing (logs posted in microcks/microcks#2008 and
// apache/pekko-connectors#1517; 4.15 onwards: testcontainers/testcontainers-dotnet#1667). Its port then refuses
// connections, which alone says nothing of why: doctor looks for such an exited container in the Docker engine.
import type Docker from "dockerode";

export const LOCALSTACK_IMAGE = "localstack/localstack";
/** The exit code of a LocalStack start refused for want of a license (auth token), per the posted logs. */
export const LOCALSTACK_LICENSE_EXIT = 55;

export interface LocalStackContainer {
  name: string;
  image: string;
  state: string;
  exitCode?: number;
}

export interface LocalStackRefusal extends LocalStackContainer {
  what: string;
  fix: string;
}

/** Pure: the LocalStack containers that exited because no auth token was set. */
export function localStackRefusals(containers: readonly LocalStackContainer[]): LocalStackRefusal[] {
  return containers
    .filter((c) => (c.image === LOCALSTACK_IMAGE || c.image.startsWith(`${LOCALSTACK_IMAGE}:`)) && c.state === "exited" && c.exitCode === LOCALSTACK_LICENSE_EXIT)
    .map((c) => ({
      ...c,
      what: `LocalStack (container ${c.name}, ${c.image}) exited with code ${LOCALSTACK_LICENSE_EXIT}: its license activation failed, no LOCALSTACK_AUTH_TOKEN was set`,
      fix:
        "export LOCALSTACK_AUTH_TOKEN=<the auth token of your LocalStack account> and start it again (`docker-compose up -d localstack`), " +
        "or use an image that runs without one (localstack/localstack:3, or 4.14.0 at the latest), or the emulator (`ecs-pull serve`)",
    }));
}

/** The engine's LocalStack containers (any state); [] when the engine cannot be asked. */
export async function listLocalStackContainers(docker: Docker): Promise<LocalStackContainer[]> {
  try {
    const all = await docker.listContainers({ all: true });
    const ours = all.filter((c) => c.Image === LOCALSTACK_IMAGE || c.Image.startsWith(`${LOCALSTACK_IMAGE}:`));
    return await Promise.all(
      ours.map(async (c) => {
        const info = await docker.getContainer(c.Id).inspect();
        return { name: (c.Names[0] ?? c.Id).replace(/^\//, ""), image: c.Image, state: c.State, exitCode: info.State.ExitCode };
      }),
    );
  } catch {
    return [];
  }
}
