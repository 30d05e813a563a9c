// Peer for the footprint benchmark: bare k6 doing one plain GET per iteration, no library.
// VUS for DURATION (constant-vus), or ITERATIONS shared by VUS (shared-iterations) when set;
// PATH_ is the endpoint (default /alive), THINK_TIME the sleep after each request (0: none).
import { sleep } from 'k6';
import http from 'k6/http';

const vus = Number(__ENV.VUS ?? 100);
const iterations = __ENV.ITERATIONS === undefined ? undefined : Number(__ENV.ITERATIONS);
const think = Number(__ENV.THINK_TIME ?? 0.1);
const url = `${__ENV.BASE_URL}${__ENV.PATH_ ?? '/alive'}`;

export const options = {
  scenarios: {
    peer: iterations === undefined ? { executor: 'constant-vus', vus, duration: __ENV.DURATION ?? '20s' } : { executor: 'shared-iterations', vus, iterations, maxDuration: '5m' },
  },
  systemTags: ['status', 'method', 'name'],
};

export default function (): void {
  http.get(url, { tags: { name: 'GET peer' } });
  if (think > 0) sleep(think);
}
