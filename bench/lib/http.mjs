import autocannon from 'autocannon';

/**
 * One route under load with autocannon: a warm-up, then the measured run.
 * Samples the service's RSS meanwhile.
 */
export async function measureHttp(url, { connections, duration, warmup, rssOf, expect, ...request }) {
  const run = (seconds) => autocannon({ url, connections, duration: seconds, ...request });
  if (warmup > 0) await run(warmup);
  let rssMaxMB = rssOf();
  const sampler = setInterval(() => (rssMaxMB = Math.max(rssMaxMB, rssOf())), 200);
  let result;
  try {
    result = await run(duration);
  } finally {
    clearInterval(sampler);
  }
  const unexpected = result.statusCodeStats
    ? Object.entries(result.statusCodeStats)
        .filter(([code]) => Number(code) !== expect)
        .reduce((n, [, s]) => n + s.count, 0)
    : result.non2xx;
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + unexpected,
    rssMaxMB: Math.round(rssMaxMB),
  };
}

/** The benchmark's creation, as the caller `headers` name (an Authorization header): one space, by name. */
export function creationRequest(headers) {
  return {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench space' }),
    expect: 201,
  };
}

/**
 * One of the profiled measures as autocannon options, for a user's token:
 * creation (POST /user/spaces), reads (GET /spaces/{id} of a space made for
 * it) or floor (GET /health/live).
 */
export async function measureTarget(service, token, measure) {
  const auth = { authorization: `Bearer ${token}` };
  if (measure === 'creation') return { url: service.url('/api/v3/onezone/user/spaces'), ...creationRequest(auth) };
  if (measure === 'floor') return { url: service.url('/health/live'), expect: 200 };
  return { url: service.url(`/api/v3/onezone/spaces/${await service.createSpace(token, 'Read me')}`), headers: auth, expect: 200 };
}
