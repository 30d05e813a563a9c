// Peer for the footprint benchmark: bare k6 doing one plain GET per iteration, no library.

import { sleep } from 'k6';
import http from 'k6/http';

export const options = {
  scenarios: { peer: { executor: 'constant-vus', vus: Number(__ENV.VUS ?? 100), duration: __ENV.DURATION ?? '20s' } },
  systemTags: ['status', 'method', 'name'],
};

export default function (): void {
  http.get(`${__ENV.BASE_URL}/alive`, { tags: { name: 'GET /alive' } });
  sleep(Number(__ENV.THINK_TIME ?? 0.1));
}
