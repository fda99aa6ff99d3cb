// Builds the teaching page (ui/web, plain TypeScript) into ui/dist, which `ecs-pull serve`
// serves at /ui/. Relative asset URLs, no CDN: everything the page loads comes from that folder.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL("./web/", import.meta.url)),
  base: "./",
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("./dist/", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
  },
});
