// A small XML writer for Query-protocol answers: a value tree rendered pretty-printed with 2-space indentation
// and a final newline, like IAM and STS answer. Arrays become `<member>` lists, XmlMap `<entry>` maps, Dates ISO 8601 timestamps,
// undefined members are left out, in insertion order.

export type XmlValue = string | number | boolean | Date | undefined | XmlMap | XmlValue[] | { [name: string]: XmlValue };

/** A Query-protocol map: `<entry><key>…</key><value>…</value></entry>` per pair. */
export class XmlMap {
  constructor(readonly entries: readonly (readonly [string, XmlValue])[]) {}
}

/** Text nodes: only what XML requires (AWS leaves quotes and apostrophes as they are in messages). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (ch) => ESCAPES[ch]!);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** `<name xmlns="...">` + children, as a whole document. */
export function xmlDocument(name: string, namespace: string, children: Record<string, XmlValue>): string {
  const lines: string[] = [`<${name} xmlns="${escapeAttribute(namespace)}">`];
  for (const key in children) renderElement(lines, key, children[key], 1);
  lines.push(`</${name}>`);
  return `${lines.join("\n")}\n`;
}

function scalar(value: string | number | boolean | Date): string {
  // AWS writes timestamps to the second: 2025-01-01T00:00:00Z.
  return value instanceof Date ? value.toISOString().replace(/\.\d{3}Z$/, "Z") : escapeXml(String(value));
}

function renderElement(lines: string[], name: string, value: XmlValue, depth: number, itemName = "member"): void {
  if (value === undefined) return;
  const pad = "  ".repeat(depth);
  if (typeof value !== "object" || value instanceof Date) {
    lines.push(`${pad}<${name}>${scalar(value)}</${name}>`);
    return;
  }
  if (value instanceof XmlMap) {
    renderElement(lines, name, value.entries.map(([key, v]) => ({ key, value: v })), depth, "entry");
    return;
  }
  const entries: [string, XmlValue][] = Array.isArray(value) ? value.map((v) => [itemName, v]) : Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    lines.push(`${pad}<${name}/>`);
    return;
  }
  lines.push(`${pad}<${name}>`);
  for (const [k, v] of entries) renderElement(lines, k, v, depth + 1);
  lines.push(`${pad}</${name}>`);
}
