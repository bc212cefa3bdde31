/** The issue's targets, as ratios and bounds that hold on any machine. */
export const TARGETS = {
  check(r) {
    if (r.scale) {
      return {
        'list p99 at scale ≤ 1.5 × at 10k': r.scale.p99Ratio.list <= 1.5,
        'get p99 at scale ≤ 1.5 × at 10k': r.scale.p99Ratio.get <= 1.5,
        'read through a 5-deep group chain ≥ 0.9 × a direct member’s req/s': r.scale.groupReadVsDirect.rps >= 0.9,
        'read through a 5-deep group chain p99 ≤ 1.1 × a direct member’s': r.scale.groupReadVsDirect.p99 <= 1.1,
      };
    }
    const errors = ['limit', 'creation', 'confinedCreation', 'rawCreation', 'reads', 'rawReads', 'groupReads', 'floor'].reduce(
      (n, name) => n + r[name].errors,
      0,
    );
    return {
      'creation ≥ 0.6 × limit': r.limit.rps > 0 && r.ratios.creationToLimit >= 0.6,
      'creation p99 ≤ 50 ms': r.creation.p99 <= 50,
      'creation with a named token of two caveats ≥ 0.9 × with a plain access token': r.ratios.confinedCreationToCreation >= 0.9,
      'no errors': errors === 0,
      'reads ≥ 0.5 × floor': r.ratios.readsToFloor >= 0.5,
      'RSS ≤ 250 MB': r.rssMaxMB <= 250,
      'read through a 5-deep group chain ≥ 0.9 × a direct member’s req/s': r.ratios.groupReadsToReads >= 0.9,
      'read through a 5-deep group chain p99 ≤ 1.1 × a direct member’s': r.ratios.groupReadsP99ToReads <= 1.1,
      ...(r.explain && { 'the access check uses index scans only': r.explain.indexScansOnly }),
      // Against the raw stack (issue 17): PostgreSQL's targets, then the embedded database's.
      ...(r.mode === 'embedded'
        ? {
            'reads ≥ 0.5 × raw (embedded)': r.ratios.readsToRaw >= 0.5,
            'RSS under load ≤ 300 MB (embedded)': r.rssMaxMB <= 300,
          }
        : {
            'creation ≥ 0.6 × raw': r.ratios.creationToRaw >= 0.6,
            'reads ≥ 0.6 × raw': r.ratios.readsToRaw >= 0.6,
            'creation p99 ≤ 40 ms': r.creation.p99 <= 40,
            'reads p99 ≤ 40 ms': r.reads.p99 <= 40,
            'RSS under load ≤ 220 MB': r.rssMaxMB <= 220,
          }),
    };
  },
};

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function row(name, m) {
  return `| ${name} | ${fmt(m.rps)} | ${fmt(m.p50, 1)} | ${fmt(m.p99, 1)} | ${m.errors} | ${m.rssMaxMB ?? '–'} |`;
}

/** Prints the figures as a Markdown table (pasted into the README's Performance section). */
export function report(r) {
  const lines = [
    `Spaces service benchmark — ${r.mode}, ${r.machine.cpus} CPUs, Node ${r.machine.node}, ` +
      `${r.connections} connections, ${r.duration} s a measure${r.rounds ? ` × ${r.rounds.length} rounds (medians)` : ''}, ` +
      `${r.warmup} s warm-up` +
      (r.rateLimit === undefined ? '' : `, rate limit ${r.rateLimit ? `${r.rateLimit} (counted on every request)` : 'off'}`),
    '',
    '| measure | req/s | p50 ms | p99 ms | errors | RSS MB |',
    '|---|---|---|---|---|---|',
  ];
  if (r.scale) {
    for (const part of [r.scale.small, r.scale.big]) {
      lines.push(row(`GET /user/spaces?limit=100 @ ${part.label} spaces`, part.list));
      lines.push(row(`GET /spaces/{id} @ ${part.label} spaces`, part.get));
      lines.push(row(`GET /spaces/{id} through 5 nested groups @ ${part.label} spaces`, part.groupGet));
    }
    lines.push(
      '',
      `p99 ratio ${r.scale.spaces} / 10k: list ${fmt(r.scale.p99Ratio.list, 2)}, get ${fmt(r.scale.p99Ratio.get, 2)}` +
        ` (load: ${fmt(r.scale.loadSeconds.big, 0)} s; ${r.scale.groups} groups: ${fmt(r.scale.loadSeconds.groups, 0)} s)`,
      `through groups / direct at ${r.scale.spaces}: req/s ${fmt(r.scale.groupReadVsDirect.rps, 2)}, p99 ${fmt(r.scale.groupReadVsDirect.p99, 2)}`,
    );
  } else {
    lines.push(
      row('limit: token lookup + space and owner in one transaction (direct)', r.limit),
      row('POST /user/spaces', r.creation),
      row('POST /user/spaces, named token with time and ip caveats', r.confinedCreation),
      row('raw: POST /user/spaces (Node http + the same SQL)', r.rawCreation),
      row('GET /spaces/{id}', r.reads),
      row('raw: GET /spaces/{id} (Node http + the same SQL)', r.rawReads),
      row('GET /spaces/{id} through 5 nested groups', r.groupReads),
      row('floor: GET /health/live', r.floor),
      '',
      `creation / limit = ${fmt(r.ratios.creationToLimit, 2)}; reads / floor = ${fmt(r.ratios.readsToFloor, 2)}; ` +
        `max RSS ${r.rssMaxMB} MB`,
      `service / raw: creation ${fmt(r.ratios.creationToRaw, 2)}, reads ${fmt(r.ratios.readsToRaw, 2)} ` +
        `(raw: the reference server${r.rawDriver === 'prepared' ? ", sending through the service's PreparedQuery" : ''}, whose RSS the raw rows show)`,
      `through groups / direct: req/s ${fmt(r.ratios.groupReadsToReads, 2)}, p99 ${fmt(r.ratios.groupReadsP99ToReads, 2)}`,
      `named token with two caveats / plain access token, creation req/s: ${fmt(r.ratios.confinedCreationToCreation, 2)}`,
    );
    if (r.explain) lines.push(`access check plan: ${r.explain.nodes.join(' → ')}`);
    if (r.groupAdd) {
      lines.push(
        `PUT /spaces/{id}/groups/{gid} of a group with ${r.groupAdd.users} effective users (${r.groupAdd.times} times): ` +
          `p50 ${r.groupAdd.add.p50} ms, p99 ${r.groupAdd.add.p99} ms, max ${r.groupAdd.add.max} ms; its removal p99 ${r.groupAdd.remove.p99} ms`,
      );
    }
  }
  lines.push('', 'Targets:');
  for (const [name, met] of Object.entries(r.targets)) lines.push(`- ${met ? 'met' : 'NOT met'}: ${name}`);
  console.log(lines.join('\n'));
}
