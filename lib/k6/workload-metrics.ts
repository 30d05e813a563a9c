// Custom metrics of the workload catalog (docs/workloads.md). Names are part of the report
// contract: the report CLI and thresholds files refer to them.
import { Counter, Rate, Trend } from 'k6/metrics';

/** Submission sent → transaction observed with a docketNumber, ms (resolution: the poll interval). */
export const docketFinality = new Trend('docket_finality', true);
/** Time between consecutive dockets' timeStamp, ms, as each VU observed them. */
export const docketCadence = new Trend('docket_cadence', true);
/** Share of submissions seen sealed before FINALITY_TIMEOUT_S. */
export const docketSealed = new Rate('docket_sealed');
/** Share of sealed dockets whose Merkle root, hash and chain link verified client-side. */
export const docketVerification = new Rate('docket_verification');
export const docketsVerified = new Counter('dockets_verified');

/** Share of malformed requests answered with a 4xx (seed 002: reject > 90 %). */
export const malformedRejected = new Rate('malformed_rejected');
/** Malformed requests answered with a 5xx: the system under test crashed on bad input. */
export const malformedServerErrors = new Counter('malformed_server_errors');
