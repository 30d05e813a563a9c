// Error shapes of the contract and the one error handler that maps every failure to them:
// problem+json (tenant, wallet, read endpoints), {error, details} (register creation) and
// {isValid:false, errors:[...]} (transaction validation). Client input never yields a 5xx.

import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type ErrorShape = 'problem' | 'register' | 'tx';

export interface TxError {
  code: string;
  message: string;
  field: string;
}

/** Thrown by handlers; rendered by the error handler in the route's shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly txErrors?: TxError[],
  ) {
    super(detail);
  }
}

/** Authentication/authorisation failures: always problem+json, whatever the route's error shape. */
export class AuthError extends ApiError {}

export class TxRejected extends ApiError {
  constructor(status: number, errors: TxError[]) {
    super(status, 'Transaction rejected', errors.map((e) => e.message).join('; '), {}, errors);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemBody(status: number, title: string, detail: string, instance: string, extra: Record<string, unknown> = {}) {
  return { type: `https://httpstatuses.io/${status}`, title, status, detail, instance, ...extra };
}

export function sendProblem(reply: FastifyReply, status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send(problemBody(status, title, detail, reply.request.url.split('?')[0]!, extra));
}

function shapeOf(request: FastifyRequest): ErrorShape {
  return (request.routeOptions.config as { errorShape?: ErrorShape } | undefined)?.errorShape ?? 'problem';
}

/** Answers `err` in the route's error shape (problem+json, or the validator's {isValid, errors}). */
export function sendApiError(request: FastifyRequest, reply: FastifyReply, err: ApiError) {
  const shape = shapeOf(request);
  if (err instanceof AuthError) return sendProblem(reply, err.status, err.title, err.detail, err.extra);
  if (shape === 'tx') {
    const errors = err.txErrors ?? [{ code: (err.extra.code as string) ?? 'TX_029', message: err.detail, field: (err.extra.field as string) ?? '' }];
    return reply.code(err.status).send({ isValid: false, errors });
  }
  if (shape === 'register') {
    return reply.code(err.status).send({ error: err.title, details: err.detail });
  }
  return sendProblem(reply, err.status, err.title, err.detail, err.extra);
}

/** Maps a framework error (parser, body limit, media type) to an ApiError with a useful message. */
function fromFramework(err: FastifyError, contentType: string | undefined): ApiError {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'Payload Too Large', 'Request body exceeds the 10 MB limit (10485760 bytes).', { code: 'TX_030', field: '' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        415,
        'Unsupported Media Type',
        `Content-Type ${contentType ? JSON.stringify(contentType) : '(none)'} is not accepted. Send Content-Type: application/json (or application/x-www-form-urlencoded for the token endpoint).`,
        { code: 'TX_029', field: '' },
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'Invalid JSON', 'Request body is empty but Content-Type is application/json; send a JSON object.', { code: 'TX_029', field: '' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'Bad Request', 'Content-Length does not match the body length.', { code: 'TX_029', field: '' });
    default:
      break;
  }
  const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  return new ApiError(status, TITLES[status] ?? 'Error', status === 500 ? 'Internal error; see the reference server log.' : err.message, { code: 'TX_029', field: '' });
}

const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads and discards the rest of an over-limit body before answering 413: closing the connection
 * while the client is still writing makes many clients report EPIPE instead of the 413. Bodies
 * beyond DRAIN_LIMIT_BYTES get the connection closed.
 */
export function drain(raw: IncomingMessage): Promise<void> {
  if (raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      raw.removeListener('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_LIMIT_BYTES) {
        raw.destroy();
        done();
      }
    };
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('close', done);
    raw.once('error', done);
    raw.resume();
  });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError | ApiError, request, reply) => {
    const apiError = error instanceof ApiError ? error : fromFramework(error as FastifyError, request.headers['content-type']);
    if (apiError.status === 413) await drain(request.raw);
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendApiError(request, reply, apiError);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, 'Not Found', `No route ${request.method} ${request.url.split('?')[0]}. See docs/reference-server.md for the endpoints.`));
}
