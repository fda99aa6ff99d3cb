// The Node test-runner example of docs/testing-library.md (examples/pull-auth.test.ts) runs as part of the suite:
// importing it registers its tests here, through the package's own name ("ecs-pull" → index.ts).
import "../../examples/pull-auth.test.ts";
