/**
 * A strict check that a document is well-formed XML of the kind the JUnit report
 * writes (a declaration, elements, attributes, text; no DTD, comments or CDATA):
 * tags nest and match, attributes are quoted and unique, `<` and `&` appear only as
 * markup or the predefined entities, and every character is one XML 1.0 allows.
 * Returns the problem, or undefined when there is none.
 */
export function xmlProblem(xml: string): string | undefined {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, "");
  if (body === xml) return "no XML declaration";
  // eslint-disable-next-line no-control-regex -- finding characters XML forbids is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(body)) return "a character XML 1.0 does not allow";
  const open: string[] = [];
  let roots = 0;
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const [, closing, name, attributes, selfClosing, text, stray] of body.matchAll(token)) {
    if (stray !== undefined) return "a < that starts no tag";
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) return `an unescaped & in ${JSON.stringify(text.slice(0, 40))}`;
      if (open.length === 0 && text.trim() !== "") return "text outside the root element";
      continue;
    }
    const names = [...(attributes ?? "").matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)];
    if (new Set(names.map((n) => n[1])).size !== names.length) return `a repeated attribute in <${name}>`;
    for (const [, , value] of names) if (/&(?!(amp|lt|gt|quot|apos);)/.test(value ?? "")) return `an unescaped & in an attribute of <${name}>`;
    if (closing) {
      if (open.pop() !== name) return `</${name}> closes no open <${name}>`;
    } else if (!selfClosing) {
      if (open.length === 0) roots += 1;
      open.push(name as string);
    } else if (open.length === 0) roots += 1;
  }
  if (open.length > 0) return `<${open.at(-1)}> is never closed`;
  return roots === 1 ? undefined : `${roots} root elements`;
}
