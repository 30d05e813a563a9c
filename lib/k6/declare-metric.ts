// Creates a project custom metric from its entry in lib/shared/metric-catalog.ts, so the name,
// type and `contains` k6 records are the ones the SLO checker and the report read.
import { Counter, Rate, Trend } from 'k6/metrics';
import { CUSTOM_METRICS, type CustomMetricName, type MetricType } from '../shared/metric-catalog.ts';

function info(name: CustomMetricName, type: MetricType) {
  const entry = CUSTOM_METRICS[name];
  // A mismatch is a programming error caught the first time any script is initialised in tests.
  if (entry.type !== type) throw new Error(`metric ${name} is a ${entry.type} in lib/shared/metric-catalog.ts, not a ${type}`);
  return entry;
}

export function counter(name: CustomMetricName): Counter {
  info(name, 'counter');
  return new Counter(name);
}

export function rate(name: CustomMetricName): Rate {
  info(name, 'rate');
  return new Rate(name);
}

export const trend = (name: CustomMetricName): Trend => new Trend(name, info(name, 'trend').contains === 'time');
