// The SQLite database (better-sqlite3, WAL): schema, prepared statements and the few
// multi-row writes that must be atomic (bootstrap, register creation, docket sealing).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteSync } from './config.ts';

export interface OrgRow {
  id: string;
  name: string;
  subdomain: string;
  description: string | null;
  created_at: string;
}
export interface UserRow {
  id: string;
  org_id: string;
  email: string;
  name: string;
  password_hash: string;
  roles: string;
}
export interface ServicePrincipalRow {
  id: string;
  org_id: string;
  name: string;
  client_id: string;
  secret_hash: string;
}
export interface WalletRow {
  address: string;
  org_id: string;
  owner: string;
  name: string;
  public_key: Buffer;
  private_key: Buffer;
  algorithm: string;
  created_at: string;
  metadata: string;
}
export interface RegisterRow {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  advertise: number;
  metadata: string;
  owners: string;
  created_at: string;
}
export interface TransactionRow {
  seq: number;
  register_id: string;
  tx_id: string;
  payload_hash: string;
  created_at_ms: number;
  added_at: string;
  body: string;
  docket_number: number | null;
}
export interface DocketRow {
  register_id: string;
  number: number;
  previous_hash: string | null;
  hash: string;
  merkle_root: string;
  timestamp_ms: number;
  tx_ids: string;
}
export interface NewTransaction {
  registerId: string;
  txId: string;
  payloadHash: string;
  createdAtMs: number;
  addedAt: string;
  body: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL, subdomain TEXT NOT NULL UNIQUE, description TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password_hash TEXT NOT NULL, roles TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS service_principals (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL, client_id TEXT NOT NULL UNIQUE, secret_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS wallets (address TEXT PRIMARY KEY, org_id TEXT NOT NULL, owner TEXT NOT NULL, name TEXT NOT NULL, public_key BLOB NOT NULL, private_key BLOB NOT NULL, algorithm TEXT NOT NULL, created_at TEXT NOT NULL, metadata TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS registers (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT, advertise INTEGER NOT NULL, metadata TEXT NOT NULL, owners TEXT NOT NULL, created_at TEXT NOT NULL);
-- Only the (register_id, tx_id) key is indexed: every secondary index costs on the hot write path.
-- The unsealed scan at start-up is a full scan, done once.
CREATE TABLE IF NOT EXISTS transactions (seq INTEGER PRIMARY KEY, register_id TEXT NOT NULL, tx_id TEXT NOT NULL, payload_hash TEXT NOT NULL, created_at_ms INTEGER NOT NULL, added_at TEXT NOT NULL, body TEXT NOT NULL, docket_number INTEGER, UNIQUE (register_id, tx_id));
CREATE TABLE IF NOT EXISTS dockets (register_id TEXT NOT NULL, number INTEGER NOT NULL, previous_hash TEXT, hash TEXT NOT NULL, merkle_root TEXT NOT NULL, timestamp_ms INTEGER NOT NULL, tx_ids TEXT NOT NULL, PRIMARY KEY (register_id, number));
`;

export class Store {
  readonly db: Database.Database;
  private readonly s;

  constructor(dataDir: string, sync: SqliteSync) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'register.db'));
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit is in the OS page cache before the call returns, so it survives
    // the process being killed; FULL also fsyncs each commit and survives power loss.
    this.db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    // Checkpoints are driven by checkpointer.ts off the event loop; SQLite's own auto-checkpoint
    // stays only as a safety net (~400 MB of WAL) should that worker not run.
    this.db.pragma('wal_autocheckpoint = 100000');
    this.db.pragma('journal_size_limit = 536870912');
    this.db.pragma('cache_size = -65536');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.s = {
      orgBySubdomain: db.prepare<[string], OrgRow>('SELECT * FROM orgs WHERE subdomain = ?'),
      orgById: db.prepare<[string], OrgRow>('SELECT * FROM orgs WHERE id = ?'),
      insertOrg: db.prepare('INSERT INTO orgs (id, name, subdomain, description, created_at) VALUES (@id, @name, @subdomain, @description, @created_at)'),
      userByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
      userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
      insertUser: db.prepare('INSERT INTO users (id, org_id, email, name, password_hash, roles) VALUES (@id, @org_id, @email, @name, @password_hash, @roles)'),
      spByClientId: db.prepare<[string], ServicePrincipalRow>('SELECT * FROM service_principals WHERE client_id = ?'),
      spById: db.prepare<[string], ServicePrincipalRow>('SELECT * FROM service_principals WHERE id = ?'),
      insertSp: db.prepare('INSERT INTO service_principals (id, org_id, name, client_id, secret_hash) VALUES (@id, @org_id, @name, @client_id, @secret_hash)'),
      insertWallet: db.prepare(
        'INSERT INTO wallets (address, org_id, owner, name, public_key, private_key, algorithm, created_at, metadata) VALUES (@address, @org_id, @owner, @name, @public_key, @private_key, @algorithm, @created_at, @metadata)',
      ),
      walletByAddress: db.prepare<[string], WalletRow>('SELECT * FROM wallets WHERE address = ?'),
      walletsOfOrg: db.prepare<[string], WalletRow>('SELECT * FROM wallets WHERE org_id = ? ORDER BY created_at'),
      insertRegister: db.prepare(
        'INSERT INTO registers (id, org_id, name, description, advertise, metadata, owners, created_at) VALUES (@id, @org_id, @name, @description, @advertise, @metadata, @owners, @created_at)',
      ),
      allRegisters: db.prepare<[], RegisterRow>('SELECT * FROM registers'),
      insertTx: db.prepare(
        'INSERT OR IGNORE INTO transactions (register_id, tx_id, payload_hash, created_at_ms, added_at, body) VALUES (@registerId, @txId, @payloadHash, @createdAtMs, @addedAt, @body)',
      ),
      txById: db.prepare<[string, string], TransactionRow>('SELECT * FROM transactions WHERE register_id = ? AND tx_id = ?'),
      unsealed: db.prepare<[], Pick<TransactionRow, 'seq' | 'register_id' | 'tx_id' | 'payload_hash' | 'created_at_ms'>>(
        'SELECT seq, register_id, tx_id, payload_hash, created_at_ms FROM transactions WHERE docket_number IS NULL ORDER BY seq',
      ),
      setDocketOfTx: db.prepare('UPDATE transactions SET docket_number = ? WHERE register_id = ? AND tx_id = ?'),
      insertDocket: db.prepare(
        'INSERT INTO dockets (register_id, number, previous_hash, hash, merkle_root, timestamp_ms, tx_ids) VALUES (@register_id, @number, @previous_hash, @hash, @merkle_root, @timestamp_ms, @tx_ids)',
      ),
      docketsOf: db.prepare<[string], DocketRow>('SELECT * FROM dockets WHERE register_id = ? ORDER BY number'),
      docket: db.prepare<[string, number], DocketRow>('SELECT * FROM dockets WHERE register_id = ? AND number = ?'),
      lastDockets: db.prepare<[], DocketRow>(
        'SELECT d.* FROM dockets d JOIN (SELECT register_id, MAX(number) AS n FROM dockets GROUP BY register_id) m ON d.register_id = m.register_id AND d.number = m.n',
      ),
    };
  }

  orgBySubdomain(subdomain: string) {
    return this.s.orgBySubdomain.get(subdomain);
  }
  orgById(id: string) {
    return this.s.orgById.get(id);
  }
  userByEmail(email: string) {
    return this.s.userByEmail.get(email);
  }
  userById(id: string) {
    return this.s.userById.get(id);
  }
  servicePrincipalByClientId(clientId: string) {
    return this.s.spByClientId.get(clientId);
  }
  servicePrincipalById(id: string) {
    return this.s.spById.get(id);
  }
  walletByAddress(address: string) {
    return this.s.walletByAddress.get(address);
  }
  walletsOfOrg(orgId: string) {
    return this.s.walletsOfOrg.all(orgId);
  }
  allRegisters() {
    return this.s.allRegisters.all();
  }
  transaction(registerId: string, txId: string) {
    return this.s.txById.get(registerId, txId);
  }
  unsealedTransactions() {
    return this.s.unsealed.all();
  }
  /** Through the docket's id list and the (register, id) key: no secondary index to maintain on the write path. */
  transactionsOfDocket(registerId: string, n: number): TransactionRow[] {
    const d = this.s.docket.get(registerId, n);
    if (d === undefined) return [];
    return (JSON.parse(d.tx_ids) as string[]).map((id) => this.s.txById.get(registerId, id)!);
  }
  dockets(registerId: string) {
    return this.s.docketsOf.all(registerId);
  }
  docket(registerId: string, n: number) {
    return this.s.docket.get(registerId, n);
  }
  lastDockets() {
    return this.s.lastDockets.all();
  }

  insertWallet(row: WalletRow) {
    this.s.insertWallet.run(row);
  }

  /** Organisation, admin user and optional service principal, all or nothing. */
  bootstrap(org: OrgRow, user: UserRow, sp: ServicePrincipalRow | undefined): void {
    this.db.transaction(() => {
      this.s.insertOrg.run(org);
      this.s.insertUser.run(user);
      if (sp !== undefined) this.s.insertSp.run(sp);
    })();
  }

  /** Register, its genesis transaction and docket 0, all or nothing. */
  createRegister(register: RegisterRow, genesis: NewTransaction, docket0: DocketRow): void {
    this.db.transaction(() => {
      this.s.insertRegister.run(register);
      this.s.insertTx.run(genesis);
      this.s.insertDocket.run(docket0);
      this.s.setDocketOfTx.run(0, genesis.registerId, genesis.txId);
    })();
  }

  /** One SQLite transaction for a whole batch (group commit). Returns, per item, whether it was new. */
  insertTransactions(batch: readonly NewTransaction[]): boolean[] {
    return this.db.transaction(() => batch.map((t) => this.s.insertTx.run(t).changes === 1))();
  }

  /** A docket and the docket number of its transactions in one SQLite transaction: never half sealed. */
  sealDocket(docket: DocketRow, txIds: readonly string[]): void {
    this.db.transaction(() => {
      this.s.insertDocket.run(docket);
      for (const id of txIds) this.s.setDocketOfTx.run(docket.number, docket.register_id, id);
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
