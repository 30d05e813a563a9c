// Turns ajv errors into messages a person can act on, keyed by the field they concern.
import type { ErrorObject } from 'ajv';

/** Field name an error is about: the missing property, or the first segment of the instance path. */
export function fieldOf(e: ErrorObject): string {
  if (e.keyword === 'required') return String((e.params as { missingProperty: string }).missingProperty);
  const parts = e.instancePath.split('/').filter(Boolean);
  return parts.length === 0 ? '$' : parts.join('.');
}

export function messageOf(e: ErrorObject, patternHints: Record<string, string> = {}): string {
  const field = fieldOf(e);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `The ${field} field is required.`;
    case 'type':
      return `${field} must be of type ${String(p.type)}.`;
    case 'minLength':
      return `${field} must be at least ${String(p.limit)} characters long.`;
    case 'maxLength':
      return `${field} must be at most ${String(p.limit)} characters long.`;
    case 'minItems':
      return `${field} must have at least ${String(p.limit)} item(s).`;
    case 'maxItems':
      return `${field} must have at most ${String(p.limit)} item(s).`;
    case 'pattern':
      return patternHints[field] ?? `${field} has an invalid format (must match ${String(p.pattern)}).`;
    case 'format':
      return `${field} must be a valid ${String(p.format)}.`;
    case 'enum':
      return `${field} must be one of ${JSON.stringify(p.allowedValues)}.`;
    case 'additionalProperties':
      return `${field === '$' ? 'body' : field} has an unknown property ${JSON.stringify(p.additionalProperty)}.`;
    default:
      return `${field} ${e.message ?? 'is invalid'}.`;
  }
}

/** ASP.NET-style validation `errors` map: field -> messages. */
export function errorsMap(errors: readonly ErrorObject[], patternHints: Record<string, string> = {}): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const e of errors) {
    const f = fieldOf(e);
    (map[f] ??= []).push(messageOf(e, patternHints));
  }
  return map;
}
