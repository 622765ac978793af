/** One Prometheus sample: metric name, labels, value. */
export type Sample = { name: string; labels: Record<string, string>; value: number };

/** Parses Prometheus text exposition (label values unescaped: \\, \", \n). Comments and blank lines are skipped. */
export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    if (brace < 0 || brace > space) {
      const [name, value] = line.split(' ');
      out.push({ name: name!, labels: {}, value: Number(value) });
      continue;
    }
    const name = line.slice(0, brace);
    const labels: Record<string, string> = {};
    let i = brace + 1;
    while (line[i] !== '}') {
      const eq = line.indexOf('=', i);
      const key = line.slice(i, eq);
      i = eq + 2; // past ="
      let v = '';
      for (; line[i] !== '"'; i++) {
        if (line[i] === '\\') { i++; v += line[i] === 'n' ? '\n' : line[i]; } else v += line[i];
      }
      labels[key] = v;
      i++; // past "
      if (line[i] === ',') i++;
    }
    out.push({ name, labels, value: Number(line.slice(line.indexOf(' ', i) + 1)) });
  }
  return out;
}

/** Sums a metric's samples into a map keyed by the given labels (joined with NUL). */
export function tally(samples: readonly Sample[], name: string, keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== name) continue;
    const k = keys.map((x) => s.labels[x] ?? '').join('\u0000');
    m.set(k, (m.get(k) ?? 0) + s.value);
  }
  return m;
}

/** The entries where two tallies differ, for an assertion message; empty when they agree. */
export function diffTallies(expected: ReadonlyMap<string, number>, actual: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const k of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(k) ?? 0;
    const a = actual.get(k) ?? 0;
    if (e !== a) out.push(`${JSON.stringify(k.split('\u0000'))}: expected ${e}, got ${a}`);
  }
  return out;
}
