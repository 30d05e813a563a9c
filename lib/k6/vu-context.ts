// Per-VU state built lazily from setup()'s data: the HTTP client, a refreshing token session,
// the transaction submitter and the transactions this VU has seen accepted (for reads).
import exec from 'k6/execution';
import type { RunConfig } from '../shared/config.ts';
import type { Endpoints } from '../shared/endpoints.ts';
import { pickWeighted } from '../shared/weighted.ts';
import { Session } from './auth.ts';
import type { ApiClient } from './http.ts';
import { clientFor, loginForm, type RegisterHandle, type World } from './setup.ts';
import { createSubmitter, type Submitter } from './submit.ts';

const RECENT_PER_REGISTER = 64;

export interface VuContext {
  client: ApiClient;
  ep: Endpoints;
  session: Session;
  submitter: Submitter;
  pickRegister(): RegisterHandle;
  rememberTransaction(registerId: string, transactionId: string): void;
  /** A transaction this VU saw accepted on the register, else the register's genesis transaction. */
  knownTransaction(register: RegisterHandle): string;
}

let context: VuContext | undefined;

export function vuContext(world: World, config: RunConfig): VuContext {
  if (context) return context;
  const { client, ep } = clientFor(config);
  // Each VU logs in itself: setup() hands over no token (its data is exported to summary.json).
  const session = new Session(() => loginForm(config, world.localReferenceServer), client, ep);
  const corridors = world.registers.map((r) => ({ item: r, weight: r.weight }));
  const recent = new Map<string, string[]>();
  context = {
    client,
    ep,
    session,
    submitter: createSubmitter(client, ep, session, world, config, exec.vu.idInTest),
    pickRegister: () => pickWeighted(corridors, Math.random()),
    rememberTransaction(registerId, transactionId) {
      let list = recent.get(registerId);
      if (!list) recent.set(registerId, (list = []));
      list.push(transactionId);
      if (list.length > RECENT_PER_REGISTER) list.shift();
    },
    knownTransaction(register) {
      const list = recent.get(register.id);
      return list && list.length > 0 ? list[Math.floor(Math.random() * list.length)]! : register.genesisTransactionId;
    },
  };
  return context;
}
