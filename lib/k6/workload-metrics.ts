// Custom metrics of the workload catalog (docs/workloads.md), declared in
// lib/shared/metric-catalog.ts: the report CLI and thresholds files refer to them.
import { counter, rate, trend } from './declare-metric.ts';

/** Submission sent → transaction observed with a docketNumber, ms (resolution: the poll interval). */
export const docketFinality = trend('docket_finality');
/** Time between consecutive dockets' timeStamp, ms, as each VU observed them. */
export const docketCadence = trend('docket_cadence');
/** Share of submissions seen sealed before FINALITY_TIMEOUT_S. */
export const docketSealed = rate('docket_sealed');
/** Share of sealed dockets whose Merkle root, hash and chain link verified client-side. */
export const docketVerification = rate('docket_verification');
export const docketsVerified = counter('dockets_verified');

/** Share of malformed requests answered with a 4xx (seed 002: reject > 90 %). */
export const malformedRejected = rate('malformed_rejected');
/** Malformed requests answered with a 5xx: the system under test crashed on bad input. */
export const malformedServerErrors = counter('malformed_server_errors');
