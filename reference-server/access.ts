// Organisation isolation for register-scoped reads: 404 when unknown, 403 when another org's.
import type { Context, RegisterInfo } from './context.ts';
import { ApiError } from './errors.ts';
import type { TokenClaims } from './jwt.ts';

export function visibleRegister(ctx: Context, claims: TokenClaims, registerId: string): RegisterInfo {
  const reg = ctx.registers.get(registerId);
  if (reg === undefined) throw new ApiError(404, 'Not Found', `Register ${registerId} does not exist.`);
  if (reg.orgId !== claims.org_id) throw new ApiError(403, 'Forbidden', `Register ${registerId} belongs to another organisation.`);
  return reg;
}
