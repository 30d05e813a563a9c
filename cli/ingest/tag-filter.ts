// Tags that make one series per request (url, vu, iter...) would turn the summary into a copy
// of the raw data; they are dropped unless asked for. Every other tag, custom ones included
// (payload_size, phase, corridor, step...), is kept because workloads use them on purpose.

export const DEFAULT_DROPPED_TAGS: readonly string[] = ['url', 'vu', 'iter', 'ip', 'proto', 'tls_version', 'ocsp_status', 'error', 'testid', 'instance_id', 'subproto', 'service', 'rpc_type'];

export function droppedTags(keep: readonly string[] = []): Set<string> {
  const dropped = new Set(DEFAULT_DROPPED_TAGS);
  for (const t of keep) dropped.delete(t);
  return dropped;
}
