// A quick tag-balance scan. fast-xml-parser is lenient (it accepts mismatched and unclosed
// tags), which is what we want for recovery; this tells us whether recovery was needed.
// Entity errors are found while decoding text (entities.ts).

const TOKEN = /<(\/?)([A-Za-z_][-\w.:]*)(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|</g;

export function tagsBalance(text: string): boolean {
  const stack: string[] = [];
  let roots = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const name = m[2];
    if (name === undefined) {
      if (m[0] === '<') return false; // a '<' that starts no markup
      continue;
    }
    if (m[1]) {
      if (stack.pop() !== name) return false;
    } else if (!m[3]) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) {
      roots++;
    }
  }
  return stack.length === 0 && roots === 1;
}
