/** Splits one RFC 4180 line (quoted fields, doubled quotes). Online Retail has no embedded newlines. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) { s += line.slice(i); i = n; break; }
        s += line.slice(i, q);
        if (line[q + 1] === '"') { s += '"'; i = q + 2; } else { i = q + 1; break; }
      }
      out.push(s);
      if (line[i] === ',') i++; else i = n + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c === -1) { out.push(line.slice(i).replace(/\r$/, '')); break; }
      out.push(line.slice(i, c));
      i = c + 1;
      if (i === n) { out.push(''); break; }
    }
  }
  return out;
}
