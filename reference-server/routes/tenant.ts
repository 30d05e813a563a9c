// Organisation bootstrap and the token endpoint (password, client_credentials, refresh_token).

import { randomBytes, randomUUID } from 'node:crypto';
import type { ErrorObject } from 'ajv';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import { ApiError, sendProblem } from '../errors.ts';
import { verifyJwt } from '../jwt.ts';
import { hashSecret, verifySecret } from '../passwords.ts';
import { errorsMap } from '../schema-errors.ts';
import { issueTokens, type Subject } from '../tokens.ts';

const bootstrapSchema = {
  type: 'object',
  required: ['organizationName', 'organizationSubdomain', 'adminEmail', 'adminName', 'adminPassword'],
  properties: {
    organizationName: { type: 'string', minLength: 3, maxLength: 100 },
    organizationSubdomain: { type: 'string', minLength: 3, maxLength: 50, pattern: '^[a-z0-9-]+$' },
    organizationDescription: { type: ['string', 'null'], maxLength: 500 },
    adminEmail: { type: 'string', maxLength: 256, format: 'email' },
    adminName: { type: 'string', minLength: 1, maxLength: 100 },
    adminPassword: { type: 'string', minLength: 8, maxLength: 128, pattern: '^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)(?=.*[@$!%*?&]).+$' },
    createServicePrincipal: { type: 'boolean' },
    servicePrincipalName: { type: ['string', 'null'], maxLength: 100 },
  },
} as const;

const PATTERN_HINTS = {
  organizationSubdomain: 'organizationSubdomain may contain only lowercase letters, digits and hyphens.',
  adminPassword: 'adminPassword must contain an uppercase letter, a lowercase letter, a digit and one of @$!%*?&.',
};

interface BootstrapBody {
  organizationName: string;
  organizationSubdomain: string;
  organizationDescription?: string | null;
  adminEmail: string;
  adminName: string;
  adminPassword: string;
  createServicePrincipal?: boolean;
  servicePrincipalName?: string | null;
}

function validationProblem(errors: Record<string, string[]>): ApiError {
  return new ApiError(400, 'One or more validation errors occurred.', 'See errors for each invalid field.', { errors });
}

export function tenantRoutes(app: FastifyInstance, ctx: Context): void {
  app.post<{ Body: BootstrapBody }>('/api/tenants/bootstrap', { schema: { body: bootstrapSchema }, attachValidation: true }, async (request, reply) => {
    if (request.validationError) throw validationProblem(errorsMap(request.validationError.validation as ErrorObject[], PATTERN_HINTS));
    const b = request.body;
    const email = b.adminEmail.toLowerCase();
    if (ctx.store.orgBySubdomain(b.organizationSubdomain) !== undefined) {
      return sendProblem(reply, 409, 'Already Bootstrapped', `Organisation subdomain "${b.organizationSubdomain}" already exists; log in with POST /api/service-auth/token instead.`);
    }
    if (ctx.store.userByEmail(email) !== undefined) {
      return sendProblem(reply, 409, 'Bootstrap Conflict', `A user with email ${email} already exists in another organisation.`);
    }
    const now = new Date().toISOString();
    const orgId = randomUUID();
    const userId = randomUUID();
    const passwordHash = await hashSecret(b.adminPassword);
    let sp: { id: string; clientId: string; secret: string; name: string; secretHash: string } | undefined;
    if (b.createServicePrincipal === true) {
      const secret = randomBytes(32).toString('base64url');
      sp = { id: randomUUID(), clientId: `sp-${randomBytes(12).toString('hex')}`, secret, name: b.servicePrincipalName ?? `${b.organizationSubdomain}-service`, secretHash: await hashSecret(secret) };
    }
    // Re-check after the awaits: another bootstrap of the same subdomain may have won meanwhile.
    if (ctx.store.orgBySubdomain(b.organizationSubdomain) !== undefined || ctx.store.userByEmail(email) !== undefined) {
      return sendProblem(reply, 409, 'Already Bootstrapped', `Organisation subdomain "${b.organizationSubdomain}" or user ${email} already exists.`);
    }
    ctx.store.bootstrap(
      { id: orgId, name: b.organizationName, subdomain: b.organizationSubdomain, description: b.organizationDescription ?? null, created_at: now },
      { id: userId, org_id: orgId, email, name: b.adminName, password_hash: passwordHash, roles: JSON.stringify(['Administrator']) },
      sp === undefined ? undefined : { id: sp.id, org_id: orgId, name: sp.name, client_id: sp.clientId, secret_hash: sp.secretHash },
    );
    const tokens = await issueTokens(ctx, { sub: userId, email, name: b.adminName, orgId, orgName: b.organizationName, tokenType: 'user', roles: ['Administrator'] });
    return reply
      .code(201)
      .header('location', `/api/organizations/${orgId}`)
      .send({
        organizationId: orgId,
        organizationName: b.organizationName,
        organizationSubdomain: b.organizationSubdomain,
        adminUserId: userId,
        adminEmail: email,
        adminAccessToken: tokens.access_token,
        adminRefreshToken: tokens.refresh_token,
        ...(sp === undefined ? {} : { servicePrincipalId: sp.id, servicePrincipalClientId: sp.clientId, servicePrincipalClientSecret: sp.secret }),
        createdAt: now,
      });
  });

  app.post('/api/service-auth/token', async (request, reply) => {
    const f = tokenFields(request);
    const bad = (status: number, error: string, detail: string) => new ApiError(status, status === 401 ? 'Unauthorized' : 'Bad Request', detail, { error });
    if (f.grantType === undefined) throw bad(400, 'invalid_request', 'grant_type is required: password, client_credentials or refresh_token.');
    let subject: Subject;
    if (f.grantType === 'password') {
      if (f.username === undefined || f.password === undefined) throw bad(400, 'invalid_request', 'The password grant needs username and password.');
      const user = ctx.store.userByEmail(f.username.toLowerCase());
      // Verify against a dummy hash when the user is unknown so timing does not reveal which emails exist.
      const ok = await verifySecret(f.password, user?.password_hash ?? DUMMY_HASH);
      if (user === undefined || !ok) throw bad(401, 'invalid_grant', 'Invalid username or password.');
      const org = ctx.store.orgById(user.org_id)!;
      subject = { sub: user.id, email: user.email, name: user.name, orgId: org.id, orgName: org.name, tokenType: 'user', roles: JSON.parse(user.roles) as string[] };
    } else if (f.grantType === 'client_credentials') {
      if (f.clientId === undefined || f.clientSecret === undefined) throw bad(400, 'invalid_request', 'The client_credentials grant needs client_id and client_secret.');
      const sp = ctx.store.servicePrincipalByClientId(f.clientId);
      const ok = await verifySecret(f.clientSecret, sp?.secret_hash ?? DUMMY_HASH);
      if (sp === undefined || !ok) throw bad(401, 'invalid_client', 'Invalid client_id or client_secret.');
      const org = ctx.store.orgById(sp.org_id)!;
      subject = { sub: sp.id, email: '', name: sp.name, orgId: org.id, orgName: org.name, tokenType: 'service', roles: ['Service'] };
    } else if (f.grantType === 'refresh_token') {
      if (f.refreshToken === undefined) throw bad(400, 'invalid_request', 'The refresh_token grant needs refresh_token.');
      const check = await verifyJwt(f.refreshToken, ctx.jwtSecret, Math.floor(Date.now() / 1000));
      if (!check.ok || check.claims.use !== 'refresh') throw bad(401, 'invalid_grant', `Invalid refresh token${check.ok ? ': not a refresh token' : `: ${check.reason}`}.`);
      const c = check.claims;
      const exists = c.token_type === 'service' ? ctx.store.servicePrincipalById(c.sub) !== undefined : ctx.store.userById(c.sub) !== undefined;
      if (!exists) throw bad(401, 'invalid_grant', 'Invalid refresh token: its subject no longer exists.');
      subject = { sub: c.sub, email: c.email, name: c.name, orgId: c.org_id, orgName: c.org_name, tokenType: c.token_type, roles: c.roles };
    } else {
      throw bad(400, 'unsupported_grant_type', `grant_type "${f.grantType}" is not supported; use password, client_credentials or refresh_token.`);
    }
    return reply.send(await issueTokens(ctx, subject, f.scope ?? ''));
  });
}

const DUMMY_HASH = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

interface TokenFields {
  grantType?: string;
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  scope?: string;
}

/** Accepts OAuth form fields (snake_case) or the JSON camelCase variant. */
function tokenFields(request: FastifyRequest): TokenFields {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'Bad Request', 'Send the token request as application/x-www-form-urlencoded fields or a JSON object.', { error: 'invalid_request' });
  }
  const b = body as Record<string, unknown>;
  const pick = (snake: string, camel: string): string | undefined => {
    const v = b[snake] ?? b[camel];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw new ApiError(400, 'Bad Request', `${snake} must be a string.`, { error: 'invalid_request' });
    return v;
  };
  return {
    grantType: pick('grant_type', 'grantType'),
    username: pick('username', 'username'),
    password: pick('password', 'password'),
    clientId: pick('client_id', 'clientId'),
    clientSecret: pick('client_secret', 'clientSecret'),
    refreshToken: pick('refresh_token', 'refreshToken'),
    scope: pick('scope', 'scope'),
  };
}
