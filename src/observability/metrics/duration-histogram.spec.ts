import { Histogram, Registry } from 'prom-client';
import { DurationHistogram } from './duration-histogram.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LABELS = ['method', 'route', 'status_code'] as const;
const observations: [string, string, string, number][] = [
  ['GET', '/api/v3/onezone/spaces/:id', '200', 0.0042],
  ['GET', '/api/v3/onezone/spaces/:id', '200', 0.005], // on a bound: counted in it
  ['POST', '/api/v3/onezone/user/spaces', '201', 0.031],
  ['GET', '/api/v3/onezone/spaces/:id', '404', 0.0009],
  ['GET', '/api/v3/onezone/spaces/:id', '200', 42], // above the last bound: only in +Inf
  ['POST', '/api/v3/onezone/user/spaces', '201', 0.2],
  ['GET', 'unmatched', '404', 0],
];

/** The same observations in prom-client's Histogram and in ours, each in a registry of its own. */
function both(openMetrics = false) {
  const theirs = new Registry();
  const ours = new Registry();
  if (openMetrics) {
    for (const registry of [theirs, ours])
      (registry as unknown as Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>).setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  }
  const reference = new Histogram({
    name: 'd_seconds',
    help: 'Durations "quoted" \\ and more.',
    labelNames: LABELS,
    buckets: BUCKETS,
    registers: [theirs],
  });
  const histogram = new DurationHistogram('d_seconds', 'Durations "quoted" \\ and more.', LABELS, BUCKETS, ours);
  const observe = (list: typeof observations) => {
    for (const [method, route, status, seconds] of list) {
      reference.labels(method, route, status).observe(seconds);
      histogram.labels(method, route, status).observe(seconds);
    }
  };
  return { theirs, ours, histogram, observe };
}

describe('DurationHistogram', () => {
  it("prints exactly what prom-client's Histogram prints for the same observations", async () => {
    const { theirs, ours, observe } = both();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    observe(observations);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('d_seconds_bucket{le="0.005",method="GET",route="/api/v3/onezone/spaces/:id",status_code="200"} 2');
    expect(text).toContain('d_seconds_count{method="GET",route="/api/v3/onezone/spaces/:id",status_code="200"} 3');
    expect(await ours.getMetricsAsJSON()).toStrictEqual(await theirs.getMetricsAsJSON());
  });

  it('prints the same in the OpenMetrics format', async () => {
    const { theirs, ours, observe } = both(true);
    observe(observations);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it("a kept series counts again after the registry's reset, from zero", async () => {
    const { theirs, ours, histogram, observe } = both();
    const kept = histogram.labels('GET', '/x', '200');
    kept.observe(0.02);
    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    kept.observe(0.3);
    observe([['GET', '/y', '200', 0.001]]);
    const text = await ours.metrics();
    expect(text).toContain('d_seconds_count{method="GET",route="/x",status_code="200"} 1');
    expect(text).toContain('d_seconds_sum{method="GET",route="/x",status_code="200"} 0.3');
  });

  it('refuses a value that is not a finite number, as prom-client does', () => {
    const { histogram } = both();
    expect(() => histogram.labels('GET', '/x', '200').observe(Number.NaN)).toThrow(TypeError);
  });

  it('takes its name in the registry: a second metric of that name is refused', () => {
    const registry = new Registry();
    new DurationHistogram('d_seconds', 'h', LABELS, BUCKETS, registry);
    expect(() => new Histogram({ name: 'd_seconds', help: 'h', registers: [registry] })).toThrow(/already been registered/);
  });
});
