/**
 * Checks requests and answers against the parts of Twilio's OpenAPI descriptions vendored beside this
 * file (twilio/twilio-oai; see README.md here): an answer must validate against the response schema
 * the spec declares for its operation and status, and a request may use only the operation's declared
 * path, query and form parameters, with values of the declared types.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Json;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Json }> };
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}

interface OpenApiFixture {
  'x-vendored-from': { repository: string; path: string; commit: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Json> };
}

const HERE = new URL('./twilio/', import.meta.url);

/** A request as the fakes record it. */
export interface WireRequest {
  method: string;
  path: string;
  rawQuery: string;
  rawBody?: string;
  contentType?: string | undefined;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * OpenAPI 3.0's schema dialect as JSON Schema: `nullable: true` adds null to `type` (a `nullable`
 * without a type, as on `comments` or `media`, already allows anything), `x-twilio` and
 * `description` are annotations.
 */
function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'nullable' || key === 'x-twilio' || key === 'description') continue;
    out[key] = key === 'properties' ? mapValues(item as Json, toJsonSchema) : toJsonSchema(item);
  }
  const source = value as Json;
  if (source.nullable === true && typeof source.type === 'string') out.type = [source.type, 'null'];
  if (typeof out.$ref === 'string') out.$ref = out.$ref.replace('#/components/schemas/', '#/definitions/');
  return out;
}

function mapValues(object: Json, fn: (value: unknown) => unknown): Json {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}

/** One vendored OpenAPI description, ready to check against. */
export class TwilioContract {
  private readonly spec: OpenApiFixture;
  private readonly ajv: Ajv;
  private readonly definitions: Json;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file: 'flex-v1.json' | 'taskrouter-v1.json') {
    this.spec = JSON.parse(readFileSync(new URL(file, HERE), 'utf8')) as OpenApiFixture;
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    // Twilio's own format: `uri-map` is an object of URLs (a resource's `links`).
    this.ajv.addFormat('uri-map', true);
    this.definitions = mapValues(this.spec.components.schemas, toJsonSchema);
  }

  get source(): string {
    const from = this.spec['x-vendored-from'];
    return `${from.repository} ${from.path} @ ${from.commit}`;
  }

  /** The operation a method and concrete path name, with the path parameters it carries. */
  operation(
    method: string,
    path: string,
  ): { template: string; operation: Operation; params: Record<string, string> } | undefined {
    for (const [template, item] of Object.entries(this.spec.paths)) {
      const names: string[] = [];
      const pattern = template.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      const match = new RegExp(`^${pattern}$`).exec(path);
      const operation = item[method.toLowerCase()] as Operation | undefined;
      if (match && operation) {
        const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
        return { template, operation, params };
      }
    }
    return undefined;
  }

  /**
   * Problems with an answer, or undefined when the spec declares no schema for that status (Twilio's
   * descriptions declare only the success answers, not the error bodies).
   */
  answerProblems(method: string, path: string, status: number, body: unknown): string[] | undefined {
    const found = this.operation(method, path);
    if (!found) return [`${method} ${path} is not an operation of ${this.source}`];
    const schema = found.operation.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) return undefined;
    return this.problems(`${found.operation.operationId} ${status}`, schema, body);
  }

  /** Whether the spec declares an answer with this status for the request's operation. */
  declaresStatus(method: string, path: string, status: number): boolean {
    return Boolean(this.operation(method, path)?.operation.responses[String(status)]);
  }

  /** Parameters the request uses that its operation does not declare, or with values of the wrong type. */
  requestProblems(request: WireRequest): string[] {
    const found = this.operation(request.method, request.path);
    if (!found) return [`${request.method} ${request.path} is not an operation of ${this.source}`];
    const { operation, params } = found;
    const problems: string[] = [];
    const declared = operation.parameters ?? [];
    for (const [name, value] of Object.entries(params)) {
      const parameter = declared.find((p) => p.in === 'path' && p.name === name);
      problems.push(...this.valueProblems(`${operation.operationId} path ${name}`, parameter?.schema, value));
    }
    const query = new URLSearchParams(request.rawQuery);
    for (const [name, value] of query) {
      const parameter = declared.find((p) => p.in === 'query' && p.name === name);
      if (!parameter) problems.push(`query parameter ${name} is not declared by ${operation.operationId}`);
      else problems.push(...this.valueProblems(`${operation.operationId} query ${name}`, parameter.schema, value));
    }
    for (const parameter of declared) {
      if (parameter.in === 'query' && parameter.required && !query.has(parameter.name)) {
        problems.push(`required query parameter ${parameter.name} is missing`);
      }
    }
    const hasBody = (request.rawBody ?? '') !== '';
    const content = operation.requestBody?.content;
    if (!content) {
      if (hasBody) problems.push(`${operation.operationId} takes no body`);
      return problems;
    }
    const type = request.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    const bodySchema = content[type]?.schema;
    if (!bodySchema)
      return [...problems, `content type ${type || '(none)'} is not declared by ${operation.operationId}`];
    const form = new URLSearchParams(request.rawBody ?? '');
    const properties = (bodySchema.properties ?? {}) as Record<string, Json>;
    for (const [name, value] of form) {
      const property = properties[name];
      if (!property) problems.push(`form parameter ${name} is not declared by ${operation.operationId}`);
      else problems.push(...this.valueProblems(`${operation.operationId} form ${name}`, property, value));
    }
    for (const name of (bodySchema.required ?? []) as string[]) {
      if (!form.has(name)) problems.push(`required form parameter ${name} is missing`);
    }
    return problems;
  }

  /** A form or query value (always text on the wire) read as the declared type, then validated. */
  private valueProblems(where: string, schema: Json | undefined, text: string): string[] {
    if (!schema) return [`${where} is not declared`];
    const type = schema.type;
    let value: unknown = text;
    if (type === 'integer' || type === 'number') {
      value = text.trim() === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(value)) return [`${where}: "${text}" is not a ${type}`];
    } else if (type === 'boolean') {
      if (text !== 'true' && text !== 'false') return [`${where}: "${text}" is not a boolean`];
      value = text === 'true';
    } else if (type === 'array') {
      value = [text];
    }
    return this.problems(where, schema, value);
  }

  private problems(key: string, schema: Json, value: unknown): string[] {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile({ ...(toJsonSchema(schema) as Json), definitions: this.definitions });
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${key}: ${error.instancePath || '/'} ${error.message ?? ''}`);
  }
}
