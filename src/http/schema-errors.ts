// Schema validation failures as the shared handler renders NewsroomErrors: 400 invalid_input
// with `fields`, keyed by the top-level field (or query parameter) that is wrong. Installed as
// the app's schemaErrorFormatter, so every route answers the same way.
import type { FastifySchemaValidationError, RouteShorthandOptions } from 'fastify';
import { invalid, type NewsroomError } from '../newsroom/errors.ts';

/** Which part of the request failed: body, querystring, params or headers. */
type SchemaErrorDataVar = Parameters<NonNullable<RouteShorthandOptions['schemaErrorFormatter']>>[1];

const describeProblem = (e: FastifySchemaValidationError): string => {
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return 'This field is required.';
    case 'additionalProperties':
      return `Unknown field "${String(p.additionalProperty)}".`;
    case 'maxLength':
      return `Use at most ${String(p.limit)} characters.`;
    case 'minLength':
      return `Use at least ${String(p.limit)} character${p.limit === 1 ? '' : 's'}.`;
    case 'maxItems':
      return `Send at most ${String(p.limit)} items.`;
    case 'minimum':
    case 'maximum':
      return `Must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}.`;
    case 'type':
      return `Must be ${/^[aeiou]/.test(String(p.type)) ? 'an' : 'a'} ${String(p.type)}.`;
    case 'format':
      return p.format === 'email' ? 'Must be an email address (name@example.com).' : `Must be a valid ${String(p.format)}.`;
    case 'pattern':
      return 'Is not in the expected form.';
    default:
      return e.message ? `Must ${e.message.replace(/^must /, '')}.` : 'Is not valid.';
  }
};

function fieldOf(e: FastifySchemaValidationError, dataVar: SchemaErrorDataVar): string {
  if (e.keyword === 'required') {
    const parent = e.instancePath.split('/').filter(Boolean)[0];
    return parent ?? String(e.params.missingProperty);
  }
  return e.instancePath.split('/').filter(Boolean)[0] ?? (dataVar === 'querystring' ? 'query' : dataVar);
}

/** A route's schemaErrorFormatter: schema failures become invalid_input errors with `fields`. */
export function fieldErrors(errors: FastifySchemaValidationError[], dataVar: SchemaErrorDataVar): NewsroomError {
  const fields: Record<string, string> = {};
  for (const e of errors) fields[fieldOf(e, dataVar)] ??= describeProblem(e);
  return invalid(fields);
}

