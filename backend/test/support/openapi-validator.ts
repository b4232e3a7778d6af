import assert from 'node:assert/strict';
import type { Express } from 'express';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import request from 'supertest';

type Json = Record<string, unknown>;

/** What the validator needs of a supertest response. */
export interface ResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text?: string;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * Checks answers against the served OpenAPI document: the route must be documented, the status
 * must be one it documents, and a JSON body must match that status's schema (JSON Schema
 * 2020-12, compiled by ajv). Tests pass every response through `check`, so the document and
 * the server cannot drift apart unnoticed.
 */
export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp; params: number }>;
  /** `METHOD template status` of every answer checked, for coverage assertions. */
  readonly seen = new Set<string>();

  constructor(readonly document: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi.json');
    this.templates = Object.keys(this.paths()).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      params: (template.match(/\{/g) ?? []).length,
    }));
  }

  /** Loads the document the server serves. */
  static async load(baseUrl: string): Promise<OpenApiValidator> {
    const response = await fetch(`${baseUrl}/api/openapi.json`);
    assert.equal(response.status, 200, 'GET /api/openapi.json');
    return new OpenApiValidator((await response.json()) as Json);
  }

  /** The documented path template an actual path falls under (literal segments win over parameters). */
  templateFor(path: string): string | undefined {
    const pathname = path.split('?')[0]!;
    return this.templates
      .filter((candidate) => candidate.pattern.test(pathname))
      .sort((a, b) => a.params - b.params)[0]?.template;
  }

  /** Asserts the answer to `METHOD path` is documented and matches its schema. Returns the response for chaining. */
  check<R extends ResponseLike>(method: string, path: string, response: R): R {
    const verb = method.toLowerCase();
    const template = this.templateFor(path);
    assert.ok(template, `${method.toUpperCase()} ${path} is not in the OpenAPI document`);
    const operation = (this.paths()[template] as Json | undefined)?.[verb] as Json | undefined;
    assert.ok(operation, `${method.toUpperCase()} ${template} is not in the OpenAPI document`);
    const responses = operation['responses'] as Record<string, Json>;
    const status = String(response.status);
    assert.ok(
      responses[status],
      `${method.toUpperCase()} ${template} answered ${status}, which the document does not list (it lists ${Object.keys(responses).join(', ')})`,
    );
    this.seen.add(`${verb.toUpperCase()} ${template} ${status}`);

    const content = responses[status]!['content'] as Record<string, Json> | undefined;
    const contentType = String(headerOf(response, 'content-type') ?? '').split(';')[0]!.trim();
    if (!content) {
      const text = response.text ?? '';
      assert.equal(text, '', `${method.toUpperCase()} ${template} ${status} is documented without a body but has one`);
      return response;
    }
    assert.ok(content[contentType], `${method.toUpperCase()} ${template} ${status} answered ${contentType || 'no content type'}; documented: ${Object.keys(content).join(', ')}`);
    if (contentType !== 'application/json') return response;
    const validate = this.validatorFor(template, verb, status, contentType);
    if (!validate(response.body)) {
      assert.fail(
        `${method.toUpperCase()} ${template} ${status} body does not match the document:\n` +
          `${this.ajv.errorsText(validate.errors, { separator: '\n' })}\nbody: ${JSON.stringify(response.body).slice(0, 2000)}`,
      );
    }
    return response;
  }

  /** Every `METHOD template` the document lists. */
  operations(): string[] {
    return Object.entries(this.paths()).flatMap(([template, item]) =>
      METHODS.filter((method) => (item as Json)[method]).map((method) => `${method.toUpperCase()} ${template}`),
    );
  }

  private paths(): Json {
    return this.document['paths'] as Json;
  }

  private validatorFor(template: string, method: string, status: string, contentType: string): ValidateFunction {
    const pointer = ['paths', template, method, 'responses', status, 'content', contentType, 'schema']
      .map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1')))
      .join('/');
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi.json#/${pointer}` });
      this.compiled.set(pointer, validate);
    }
    return validate;
  }
}

function headerOf(response: ResponseLike, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
}

/**
 * Every `METHOD /path` the express app routes, in OpenAPI form (`/api/chats/{id}`), found by
 * walking its router stack. Catch-all routes (the static app's `/{*splat}`) are left out.
 */
export function expressRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of [layer.route.path].flat()) {
          if (path.includes('*')) continue;
          const full = openApiPath(prefix + path);
          for (const [method, enabled] of Object.entries(layer.route.methods)) {
            if (enabled && method !== '_all' && method !== 'head' && method !== 'options') found.push(`${method.toUpperCase()} ${full}`);
          }
        }
      } else if (layer.handle.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  const root = (app as unknown as { router: { stack: Layer[] } }).router;
  walk(root.stack, '');
  return [...new Set(found)].sort();
}

function openApiPath(expressPath: string): string {
  const path = expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/+$/, '');
  return path === '' ? '/' : path;
}

export interface CallOptions {
  /** Bearer credential for the Authorization header. */
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CheckedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON (supertest), left untyped for the tests to read. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

/** supertest against the test server, with every answer passed through the validator. */
export class CheckedClient {
  constructor(
    private readonly baseUrl: string,
    readonly validator: OpenApiValidator,
  ) {}

  async call(method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, options: CallOptions = {}): Promise<CheckedResponse> {
    let pending = request(this.baseUrl)[method](path);
    for (const [name, value] of Object.entries(options.headers ?? {})) pending = pending.set(name, value);
    if (options.token !== undefined) pending = pending.set('Authorization', `Bearer ${options.token}`);
    const response = options.body === undefined ? await pending : await pending.send(options.body as object);
    const checked: CheckedResponse = {
      status: response.status,
      headers: response.headers as Record<string, string | string[] | undefined>,
      body: response.body,
      text: response.text ?? '',
    };
    return this.validator.check(method, path, checked);
  }

  get(path: string, options?: CallOptions) {
    return this.call('get', path, options);
  }
  post(path: string, options?: CallOptions) {
    return this.call('post', path, options);
  }
  patch(path: string, options?: CallOptions) {
    return this.call('patch', path, options);
  }
  delete(path: string, options?: CallOptions) {
    return this.call('delete', path, options);
  }
}
