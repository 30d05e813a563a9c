// The reference server refuses JSON that different readers would read differently (repeated
// keys) or that poisons prototypes, naming the field; and a declared Content-Length over the
// body limit is refused from the headers, before any body byte is sent.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { BODY_LIMIT_BYTES } from '../../reference-server/server.ts';
import { findKeyProblem } from '../../reference-server/strict-json.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { api, bootstrapOrg } from '../helpers/register-client.ts';

let server: RunningReferenceServer;
let token: string;
before(async () => {
  server = await startReferenceServer();
  token = (await bootstrapOrg(server.url)).adminToken;
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

test('findKeyProblem: the first repeated or prototype key, as a JSON pointer; clean JSON passes', () => {
  assert.deepEqual(findKeyProblem('{"a":1,"a":2}'), { field: '/a', kind: 'duplicate', key: 'a' });
  assert.deepEqual(findKeyProblem('{"x":[{"b":1},{"c":{"d":1,"d":2}}]}'), { field: '/x/1/c/d', kind: 'duplicate', key: 'd' });
  assert.deepEqual(findKeyProblem('{"p":{"__proto__":{}}}'), { field: '/p/__proto__', kind: 'prototype', key: '__proto__' });
  assert.deepEqual(findKeyProblem('{"\\u005f_proto__":1}'), { field: '/__proto__', kind: 'prototype', key: '__proto__' });
  assert.deepEqual(findKeyProblem('{"a/b":1,"a/b":1}')?.field, '/a~1b');
  assert.equal(findKeyProblem('{"a":"{\\"a\\":1,\\"a\\":2}","b":[1,{"a":1}],"c":{"a":1}}'), undefined);
  assert.equal(findKeyProblem('[{"a":1},{"a":1}]'), undefined);
});

const submitPath = '/api/v1/transactions/validate';

for (const [name, body, field] of [
  ['a repeated transactionId', '{"transactionId":"a","transactionId":"b"}', '/transactionId'],
  ['a __proto__ key', '{"__proto__":{"isAdmin":true}}', '/__proto__'],
  ['a nested constructor key', '{"payload":{"constructor":{"prototype":1}}}', '/payload/constructor'],
  ['a prototype key', '{"prototype":1}', '/prototype'],
] as const) {
  test(`400 naming the field for ${name}`, async () => {
    const { status, text } = await api(server.url, 'POST', submitPath, { token, raw: body });
    assert.equal(status, 400, text);
    assert.match(text, new RegExp(field.replace(/\//g, '\\/')));
  });
}

test('413 from the headers alone when Content-Length is over the limit (no body sent)', async () => {
  const url = new URL(server.url);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      data += d;
      // The whole answer is in once its body names the limit; the connection may stay open.
      if (/body limit/.test(data)) {
        socket.destroy();
        resolve(data);
      }
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    // Headers only: if the server waited for the body, no answer would come and the test would time out.
    socket.write(`POST ${submitPath} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${BODY_LIMIT_BYTES + 1}\r\n\r\n`);
  });
  assert.match(answer, /^HTTP\/1\.1 413 /);
  assert.match(answer, /body limit/);
});
