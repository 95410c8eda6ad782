// The OpenAPI document at /api/openapi.json: valid OpenAPI 3.1 (checked by swagger-parser), made
// from the route schemas, with every /api route in it (the newsroom's too) and no site page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';

type Doc = OpenAPIV3_1.Document;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every route of the app as "METHOD /path/{param}", read from Fastify's own route tree. */
function routesOf(tree: string): string[] {
  const out: string[] = [];
  const stack: Array<{ depth: number; path: string }> = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:[├└]── )(\S+)(?: \(([^)]*)\))?$/.exec(line.replace(/\s+$/, ''));
    if (!m) continue;
    const depth = m[1]!.length;
    while (stack.length && stack.at(-1)!.depth >= depth) stack.pop();
    const parent = stack.at(-1)?.path ?? '';
    const segment = m[2]!;
    // A node holds the rest of its path after its parent's, slashes included ("/me" → "ssages").
    const path = parent + segment;
    stack.push({ depth, path });
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) out.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return out;
}

eachDatabase('OpenAPI document', (kind) => {
  let t: TestApp;
  let doc: Doc;

  before(async () => {
    t = await startApp(kind);
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /application\/json/);
    doc = res.json() as Doc;
  });
  after(() => t.close());

  test('is valid OpenAPI 3.1 with the info, servers, tags and bearer scheme', async () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'Dateline API');
    assert.deepEqual(doc.servers, [{ url: t.config.siteUrl }]);
    assert.deepEqual(doc.tags?.map((x) => x.name), ['Public content', 'Newsroom']);
    assert.deepEqual(doc.components?.securitySchemes?.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      description: 'An API token (`dl_…`) made on /account or with `dateline token create`.',
    });
    // The validator dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(doc) as never);
  });

  test('documents every /api route, the newsroom included, and nothing of the site', async () => {
    const all = routesOf(t.app.printRoutes({ commonPrefix: false }));
    assert.ok(all.includes('GET /staff'), 'the route tree was read');
    const api = all.filter((r) => / \/api\//.test(r) && !/ \/api\/openapi\.json$/.test(r) && !/^(HEAD|OPTIONS) /.test(r) && !r.endsWith('*'));
    assert.ok(api.includes('GET /api/v1/articles/{slug}'));
    assert.ok(api.includes('POST /api/newsroom/v1/stories/{id}/{action}'));
    const documented = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => METHODS.filter((m) => item?.[m]).map((m) => `${m.toUpperCase()} ${path}`));
    assert.deepEqual([...documented].sort(), [...api].sort());
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      assert.match(path, /^\/api\/(v1|newsroom\/v1)\//, path);
      // What the validator leaves to us in 3.1: each {param} of a path is declared, required.
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const method of METHODS) {
        const op = item?.[method];
        if (!op) continue;
        const declared = (op.parameters ?? []).map((p) => p as OpenAPIV3_1.ParameterObject).filter((p) => p.in === 'path');
        assert.deepEqual(declared.map((p) => p.name).sort(), [...names].sort(), `${method} ${path}`);
        assert.ok(declared.every((p) => p.required), `${method} ${path}`);
      }
    }
  });

  test('public operations: tagged, open, with a response schema for 200 and the JSON error', () => {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (!path.startsWith('/api/v1/')) continue;
      const op = item?.get;
      assert.ok(op, path);
      assert.deepEqual(op.tags, ['Public content'], path);
      assert.ok(op.summary, path);
      assert.equal(op.security, undefined, path);
      const ok = op.responses?.['200'] as OpenAPIV3_1.ResponseObject;
      assert.equal((ok.content?.['application/json']?.schema as OpenAPIV3_1.SchemaObject).type, 'object', path);
      assert.ok(op.responses?.['304'], path);
      const error = (op.responses?.['4XX'] as OpenAPIV3_1.ResponseObject).content?.['application/json']?.schema as OpenAPIV3_1.SchemaObject;
      assert.ok(error.properties?.error, path);
    }
    const list = doc.paths?.['/api/v1/articles']?.get;
    assert.deepEqual(list?.parameters?.map((p) => (p as OpenAPIV3_1.ParameterObject).name), ['desk', 'tag', 'author', 'from', 'to', 'limit', 'cursor']);
    assert.ok(doc.paths?.['/api/v1/articles/{slug}']?.get?.responses?.['301']);
    assert.ok(doc.paths?.['/api/v1/articles/{slug}']?.get?.responses?.['4XX']);
  });

  test('newsroom operations: tagged, behind the bearer token, with their request schemas', () => {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (!path.startsWith('/api/newsroom/')) continue;
      for (const method of METHODS) {
        const op = item?.[method];
        if (!op) continue;
        assert.deepEqual(op.tags, ['Newsroom'], `${method} ${path}`);
        assert.deepEqual(op.security, [{ bearerAuth: [] }], `${method} ${path}`);
        assert.ok(op.responses?.['4XX'], `${method} ${path}`);
      }
    }
    const transition = doc.paths?.['/api/newsroom/v1/stories/{id}/{action}']?.post;
    const action = transition?.parameters?.find((p) => (p as OpenAPIV3_1.ParameterObject).name === 'action') as OpenAPIV3_1.ParameterObject;
    assert.deepEqual((action.schema as OpenAPIV3_1.SchemaObject).enum ?? (action.schema as OpenAPIV3_1.SchemaObject).anyOf?.map((s) => (s as OpenAPIV3_1.SchemaObject).enum?.[0]), [
      'submit',
      'request-changes',
      'approve',
      'schedule',
      'publish',
      'update',
      'correct',
      'unpublish',
      'restore',
    ]);
    const create = doc.paths?.['/api/newsroom/v1/stories']?.post?.requestBody as OpenAPIV3_1.RequestBodyObject;
    assert.ok((create.content['application/json']?.schema as OpenAPIV3_1.SchemaObject).properties?.headline);
  });

  test('is served to other origins and cached briefly', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json', headers: { origin: 'https://docs.example' } });
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['cache-control'], 'public, max-age=300');
  });
});
