import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../support/world.ts';

// The contract: /api/openapi.json describes every route's answers, success and problem alike.
let world: World;
type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
let operations: { method: string; path: string; op: Operation }[];
let components: Record<string, unknown>;

beforeAll(async () => {
  world = await createWorld();
  const res = await world.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  const doc = JSON.parse(res.body) as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown> };
  };
  components = doc.components.schemas;
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
});
afterAll(async () => world?.close());

describe('problem responses', () => {
  it('every route documents 500 and 503 as application/problem+json', () => {
    expect(operations.length).toBeGreaterThan(60);
    for (const { method, path, op } of operations) {
      for (const status of ['500', '503']) {
        expect(
          op.responses?.[status]?.content?.['application/problem+json']?.schema,
          `${method} ${path} ${status}`,
        ).toBeDefined();
      }
    }
  });

  it('a route that needs a sign-in documents 401 and 403; a public one does not', () => {
    const find = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path)!.op;
    expect(Object.keys(find('GET', '/api/clients/{id}').responses!)).toEqual(
      expect.arrayContaining(['400', '401', '403', '404']),
    );
    expect(Object.keys(find('POST', '/api/clients').responses!)).toEqual(
      expect.arrayContaining(['400', '401', '403', '409', '413', '415']),
    );
    const health = find('GET', '/api/health').responses!;
    expect(health['401']).toBeUndefined();
    expect(health['404']).toBeUndefined();
  });

  it('the documented problem is the one the API sends', async () => {
    const res = await world.app.inject({ method: 'GET', url: '/api/clients/00000000-0000-4000-8000-000000000000' });
    expect(res.statusCode).toBe(401);
    const ref = operations.find((o) => o.path === '/api/clients/{id}')!.op.responses!['401']!.content![
      'application/problem+json'
    ]!.schema;
    expect(ref).toEqual({ $ref: '#/components/schemas/Problem' });
    const documented = components.Problem as { required: string[]; properties: Record<string, unknown> };
    const body = JSON.parse(res.body) as Record<string, unknown>;
    for (const key of documented.required) expect(body, key).toHaveProperty(key);
    for (const key of Object.keys(body)) expect(documented.properties, key).toHaveProperty(key);
  });
});
