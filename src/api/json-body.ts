// How the API reads a JSON request body: UTF-8 only (a body declared in another charset is refused with
// 415 naming it, rather than read as UTF-8 and mangled), at most JSON_DEPTH_MAX levels of arrays and
// objects (checked by one scan before JSON.parse, so `[` × 100,000 is a 400, not a stack overflow in a
// later recursive step), then Fastify's own parser (prototype-poisoning checks, empty-body refusal).
// Invariant: every refusal is an ApiProblem naming `content-type` or `body`.
import type { FastifyBodyParser, FastifyInstance, FastifyRequest } from 'fastify';
import { ApiProblem } from './problem.ts';

/** Levels of nesting a request body may have; the deepest real request (a product's rules) has about 5. */
export const JSON_DEPTH_MAX = 32;

/** The charset parameter of a Content-Type header, lower-cased and unquoted; undefined when absent. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  for (const parameter of contentType.split(';').slice(1)) {
    const equals = parameter.indexOf('=');
    if (equals === -1) continue;
    if (parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    return parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return undefined;
}

/** The deepest nesting of arrays and objects in JSON text, counted without parsing; stops past `max`. */
export function jsonDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index += 1; // backslash: the next character is escaped
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (code === 0x5d || code === 0x7d) {
      depth -= 1;
    }
  }
  return deepest;
}

/** The application/json parser: charset and depth first, then `parse` (Fastify's default JSON parser). */
export function jsonBodyParser(parse: FastifyBodyParser<string>): FastifyBodyParser<string> {
  return function parseJsonBody(this: FastifyInstance, request: FastifyRequest, body: string, done) {
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      done(
        new ApiProblem(
          'unsupported-media-type',
          `content-type: charset ${charset.slice(0, 40)} is not accepted; send JSON in UTF-8`,
          { field: 'content-type' },
        ),
        undefined,
      );
      return;
    }
    if (jsonDepth(body, JSON_DEPTH_MAX) > JSON_DEPTH_MAX) {
      done(
        new ApiProblem('invalid-input', `body: JSON nested deeper than ${JSON_DEPTH_MAX} levels`, { field: 'body' }),
        undefined,
      );
      return;
    }
    parse.call(this, request, body, done);
  };
}
