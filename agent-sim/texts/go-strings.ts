// What Go's standard library does to the agent's reasons on their way to ECS, written by hand because no npm
// package reproduces Go's exact rules (byte slicing, unicode.IsSpace, strings.Title's separators, the JSON
// encoder's per-byte U+FFFD). Pure.

/**
 * unicode.IsSpace: '\t', '\n', '\v', '\f', '\r', ' ', U+0085, U+00A0 and the other White_Space characters.
 * Unlike JavaScript's \s it includes U+0085 and excludes U+FEFF.
 */
export function goIsSpace(ch: string): boolean {
  switch (ch) {
    case "\t":
    case "\n":
    case "\v":
    case "\f":
    case "\r":
    case " ":
    case "\u0085":
    case "\u00a0":
    case "\u1680":
    case "\u2028":
    case "\u2029":
    case "\u202f":
    case "\u205f":
    case "\u3000":
      return true;
    default: {
      const c = ch.codePointAt(0)!;
      return c >= 0x2000 && c <= 0x200a;
    }
  }
}

/** strings.Fields: the words between runs of unicode.IsSpace, none empty. */
export function goFields(text: string): string[] {
  const words: string[] = [];
  let word = "";
  for (const ch of text) {
    if (goIsSpace(ch)) {
      if (word) words.push(word);
      word = "";
    } else {
      word += ch;
    }
  }
  if (word) words.push(word);
  return words;
}

/** strings.Title's isSeparator: ASCII letters, digits and '_' are not; other ASCII is; letters/digits are not; spaces are. */
function isTitleSeparator(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  if (c <= 0x7f) return !/[A-Za-z0-9_]/.test(ch);
  if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
  return goIsSpace(ch);
}

/** strings.Title: the first letter of every word upper-cased (title case), where words split at isTitleSeparator. */
export function goTitle(text: string): string {
  let prev = " ";
  let out = "";
  for (const ch of text) {
    out += isTitleSeparator(prev) ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

/**
 * trimString (ecs-agent/api/ecs/client/ecs_client.go): the first `maxBytes` bytes of the UTF-8 text, so a cut can
 * fall inside a character. The SDK's JSON encoder (smithy-go encoding/json, escape.go) then writes each byte of the
 * broken character as U+FFFD, which is what ECS stores.
 */
export function goTrimString(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  const cut = bytes.subarray(0, maxBytes);
  // The text was valid UTF-8, so only the last character can be broken: find where it starts.
  let start = cut.length;
  while (start > 0 && (cut[start - 1]! & 0xc0) === 0x80) start--;
  if (start > 0) {
    const lead = cut[start - 1]!;
    const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (size > cut.length - (start - 1)) start--;
    else start = cut.length;
  }
  return cut.subarray(0, start).toString("utf8") + "\ufffd".repeat(cut.length - start);
}
