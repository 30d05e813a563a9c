// Every register-API endpoint the suite calls: its service, its path in the chosen layout,
// and the stable `name` tag its metrics are recorded under (never the raw URL, whose ids
// would create one time series per transaction). Pure: the k6 set-up and the Node test client
// both build their requests from it.
import type { ApiLayout, Service } from './config.ts';

export interface Endpoint {
  service: Service;
  path: string;
  /** Low-cardinality metric tag, e.g. "POST /transactions/validate". */
  name: string;
}

const seg = encodeURIComponent;

/** Sorcha's gateway prefixes validator routes with /api/validator; the service itself uses /api/v1. */
function validatorPath(layout: ApiLayout, rest: string): string {
  return layout === 'gateway' ? `/api/validator${rest}` : `/api/v1${rest}`;
}

export function endpoints(layout: ApiLayout) {
  return {
    health: (): Endpoint => ({ service: 'tenant', path: layout === 'gateway' ? '/api/health' : '/health', name: 'GET /health' }),
    bootstrap: (): Endpoint => ({ service: 'tenant', path: '/api/tenants/bootstrap', name: 'POST /tenants/bootstrap' }),
    token: (): Endpoint => ({ service: 'tenant', path: '/api/service-auth/token', name: 'POST /service-auth/token' }),
    createWallet: (): Endpoint => ({ service: 'wallet', path: '/api/v1/wallets', name: 'POST /wallets' }),
    signWithWallet: (address: string): Endpoint => ({ service: 'wallet', path: `/api/v1/wallets/${seg(address)}/sign`, name: 'POST /wallets/{address}/sign' }),
    initiateRegister: (): Endpoint => ({ service: 'register', path: '/api/registers/initiate', name: 'POST /registers/initiate' }),
    finalizeRegister: (): Endpoint => ({ service: 'register', path: '/api/registers/finalize', name: 'POST /registers/finalize' }),
    getRegister: (id: string): Endpoint => ({ service: 'register', path: `/api/registers/${seg(id)}`, name: 'GET /registers/{id}' }),
    submitTransaction: (): Endpoint => ({ service: 'validator', path: validatorPath(layout, '/transactions/validate'), name: 'POST /transactions/validate' }),
    mempool: (registerId: string): Endpoint => ({ service: 'validator', path: validatorPath(layout, `/transactions/mempool/${seg(registerId)}`), name: 'GET /transactions/mempool/{registerId}' }),
    getTransaction: (registerId: string, txId: string): Endpoint => ({
      service: 'register',
      path: `/api/registers/${seg(registerId)}/transactions/${seg(txId)}`,
      name: 'GET /registers/{id}/transactions/{txId}',
    }),
    listDockets: (registerId: string): Endpoint => ({ service: 'register', path: `/api/registers/${seg(registerId)}/dockets`, name: 'GET /registers/{id}/dockets' }),
    getDocket: (registerId: string, n: number): Endpoint => ({ service: 'register', path: `/api/registers/${seg(registerId)}/dockets/${n}`, name: 'GET /registers/{id}/dockets/{n}' }),
    docketTransactions: (registerId: string, n: number): Endpoint => ({
      service: 'register',
      path: `/api/registers/${seg(registerId)}/dockets/${n}/transactions`,
      name: 'GET /registers/{id}/dockets/{n}/transactions',
    }),
    latestDocket: (registerId: string): Endpoint => ({ service: 'register', path: `/api/registers/${seg(registerId)}/dockets/latest`, name: 'GET /registers/{id}/dockets/latest' }),
  };
}

export type Endpoints = ReturnType<typeof endpoints>;
