// Per-layer progress bars while pulling, redrawn in place on a TTY (stderr). Not used when stderr is not a TTY.
import type { AgentEvent } from "../../agent-sim/index.ts";

interface Layer {
  status: string;
  current?: number;
  total?: number;
}

const BAR = 24;

export class PullProgressView {
  private layers = new Map<string, Layer>();
  private drawn = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  onEvent(event: AgentEvent): void {
    if (event.type === "pull-progress") {
      const { id, status, current, total } = event.progress;
      if (!id) return;
      this.layers.set(id, { status, ...(current !== undefined && { current }), ...(total !== undefined && { total }) });
      this.draw();
    } else if (event.type === "step-end" && event.trace.step === "pull") {
      this.clear();
      this.layers.clear();
    }
  }

  private draw(): void {
    const cols = this.out.columns ?? 80;
    const lines = [...this.layers].map(([id, l]) => {
      const frac = l.total ? Math.min(1, (l.current ?? 0) / l.total) : /complete|exists/i.test(l.status) ? 1 : 0;
      const filled = Math.round(frac * BAR);
      const bar = `[${"=".repeat(filled)}${" ".repeat(BAR - filled)}]`;
      return `    ${id.padEnd(12)} ${bar} ${l.status}`.slice(0, cols - 1);
    });
    this.clear();
    this.out.write(lines.join("\n") + "\n");
    this.drawn = lines.length;
  }

  clear(): void {
    if (this.drawn === 0) return;
    this.out.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }
}
