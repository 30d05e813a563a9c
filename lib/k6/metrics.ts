// Custom metrics shared by workloads. Names are part of the report contract (the CLI reads them).
import { Counter, Rate, Trend } from 'k6/metrics';

/** Transactions the system under test acknowledged with isValid && added. */
export const transactionsAccepted = new Counter('transactions_accepted');
/** Transactions answered with anything else (rejections, conflicts, errors). */
export const transactionsRejected = new Counter('transactions_rejected');
/** Share of submissions accepted; the SLO on it is the business error rate. */
export const transactionSuccess = new Rate('transaction_success');
/** Generator time spent signing one transaction locally (SIGNING=local only), ms. */
export const signingDuration = new Trend('signing_duration', true);
