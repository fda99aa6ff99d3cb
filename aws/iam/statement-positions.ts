// Where each statement sits in the policy text (line/column, 1-based), so that an explanation or
// SimulatePrincipalPolicy's MatchedStatements can point at it. One linear scan over already-valid JSON.

export interface TextPosition {
  line: number;
  column: number;
}

export interface StatementPosition {
  start: TextPosition;
  /** Just after the statement's closing brace. */
  end: TextPosition;
}

/**
 * Positions of the statements of a document that JSON.parse accepted, in statement order (a single statement
 * object gives one entry). Returns [] when the shape is not the expected one; positions are a courtesy, never an error.
 */
export function statementPositions(text: string): StatementPosition[] {
  const scanner = new Scanner(text);
  try {
    return scanner.topLevel();
  } catch {
    return [];
  }
}

class Scanner {
  private i = 0;
  private lineStarts: number[] | undefined;
  constructor(private readonly text: string) {}

  topLevel(): StatementPosition[] {
    this.ws();
    if (this.text[this.i] !== "{") return [];
    this.i++;
    let found: StatementPosition[] = [];
    for (;;) {
      this.ws();
      if (this.text[this.i] === "}") break;
      const key = this.string();
      this.ws();
      this.i++; // ':'
      this.ws();
      if (key === "Statement") found = this.statements(); // JSON.parse keeps the last duplicate; so do we
      else this.value();
      this.ws();
      if (this.text[this.i] === ",") this.i++;
    }
    return found;
  }

  private statements(): StatementPosition[] {
    if (this.text[this.i] !== "[") return [this.span()];
    this.i++;
    const out: StatementPosition[] = [];
    for (;;) {
      this.ws();
      if (this.text[this.i] === "]") { this.i++; return out; }
      out.push(this.span());
      this.ws();
      if (this.text[this.i] === ",") this.i++;
    }
  }

  private span(): StatementPosition {
    const start = this.i;
    this.value();
    return { start: this.position(start), end: this.position(this.i) };
  }

  private value(): void {
    const ch = this.text[this.i];
    if (ch === '"') { this.string(); return; }
    if (ch === "{" || ch === "[") {
      const close = ch === "{" ? "}" : "]";
      this.i++;
      for (;;) {
        this.ws();
        if (this.text[this.i] === close) { this.i++; return; }
        if (this.i >= this.text.length) throw new Error("unterminated");
        if (ch === "{") { this.string(); this.ws(); this.i++; this.ws(); }
        this.value();
        this.ws();
        if (this.text[this.i] === ",") this.i++;
      }
    }
    // number, true, false, null
    while (this.i < this.text.length && !/[\s,}\]]/.test(this.text[this.i] as string)) this.i++;
  }

  private string(): string {
    const start = this.i;
    if (this.text[this.i] !== '"') throw new Error("expected a string");
    this.i++;
    while (this.i < this.text.length && this.text[this.i] !== '"') {
      if (this.text[this.i] === "\\") this.i++;
      this.i++;
    }
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  private ws(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] as string)) this.i++;
  }

  private position(offset: number): TextPosition {
    if (this.lineStarts === undefined) {
      this.lineStarts = [0];
      for (let k = 0; k < this.text.length; k++) if (this.text[k] === "\n") this.lineStarts.push(k + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] as number) + 1 };
  }
}
