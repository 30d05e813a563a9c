// Custom metrics shared by workloads, declared in lib/shared/metric-catalog.ts (the list the SLO
// checker and the report read).
import { counter, rate, trend } from './declare-metric.ts';

/** Transactions the system under test acknowledged with isValid && added. */
export const transactionsAccepted = counter('transactions_accepted');
/** Transactions answered with anything else (rejections, conflicts, errors). */
export const transactionsRejected = counter('transactions_rejected');
/** Share of submissions accepted; the SLO on it is the business error rate. */
export const transactionSuccess = rate('transaction_success');
/** Generator time spent signing one transaction locally (SIGNING=local only), ms. */
export const signingDuration = trend('signing_duration');
