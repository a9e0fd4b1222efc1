/**
 * Turns an OpenAPI 3.1 document into a flat outline a page can render without a client-side viewer:
 * operations with their parameters, and every request and response body as rows of dotted field paths
 * ("order.lineItems[].name"), with $refs resolved. Only what this project's documents use is understood
 * (objects, arrays, enums, nullable type lists, string/number bounds); anything else reads as its type name.
 */

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  example?: unknown;
  additionalProperties?: boolean | JsonSchema;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}
interface MediaTypes {
  content?: Record<string, { schema?: JsonSchema }>;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: MediaTypes & { description?: string; required?: boolean };
  responses?: Record<string, MediaTypes & { description?: string; headers?: Record<string, { description?: string }> }>;
}

/** The parts of an OpenAPI document the outline reads. */
export interface OpenApiDocumentLike {
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths?: Record<string, object | undefined>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

export interface FieldRow {
  /** Dotted path inside the body; `[]` marks the items of a list. */
  path: string;
  type: string;
  required: boolean;
  description: string | null;
  /** Bounds, patterns, allowed values and defaults, as short phrases. */
  constraints: string[];
}

export interface OutlineBody {
  description: string | null;
  contentType: string;
  /** The component's name when the body is a named schema, e.g. "Order". */
  schemaName: string | null;
  fields: FieldRow[];
}

export interface OutlineOperation {
  id: string;
  method: string;
  path: string;
  summary: string | null;
  description: string | null;
  tag: string | null;
  parameters: { name: string; in: string; required: boolean; type: string; description: string | null; constraints: string[] }[];
  requestBody: OutlineBody | null;
  responses: { status: string; description: string | null; body: OutlineBody | null; headers: { name: string; description: string | null }[] }[];
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** Every operation of the document, in the document's path order, with bodies flattened into field rows. */
export function outlineOperations(document: OpenApiDocumentLike): OutlineOperation[] {
  const schemas = (document.components?.schemas ?? {}) as Record<string, JsonSchema>;
  const operations: OutlineOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of methods) {
      const operation = (item as Partial<Record<(typeof methods)[number], Operation>> | undefined)?.[method];
      if (!operation) continue;
      operations.push({
        id: operation.operationId ?? `${method}-${path}`,
        method: method.toUpperCase(),
        path,
        summary: operation.summary ?? null,
        description: operation.description ?? null,
        tag: operation.tags?.[0] ?? null,
        parameters: (operation.parameters ?? []).map((parameter) => {
          const schema = resolve(parameter.schema ?? {}, schemas);
          return {
            name: parameter.name,
            in: parameter.in,
            required: parameter.required === true,
            type: typeName(schema, schemas),
            description: parameter.description ?? schema.description ?? null,
            constraints: constraintsOf(schema),
          };
        }),
        requestBody: operation.requestBody ? bodyOf(operation.requestBody, schemas) : null,
        responses: Object.entries(operation.responses ?? {}).map(([status, response]) => ({
          status,
          description: response.description ?? null,
          body: bodyOf(response, schemas),
          headers: Object.entries(response.headers ?? {}).map(([name, header]) => ({ name, description: header.description ?? null })),
        })),
      });
    }
  }
  return operations;
}

/** The rows of one named component schema (e.g. "Error"), for a page that shows it once. */
export function outlineSchema(document: OpenApiDocumentLike, name: string): FieldRow[] {
  const schemas = (document.components?.schemas ?? {}) as Record<string, JsonSchema>;
  const schema = schemas[name];
  return schema ? flatten(schema, schemas, '', 0) : [];
}

function bodyOf(holder: MediaTypes & { description?: string }, schemas: Record<string, JsonSchema>): OutlineBody | null {
  const [contentType, media] = Object.entries(holder.content ?? {})[0] ?? [];
  if (!contentType || !media?.schema) return null;
  return {
    description: holder.description ?? null,
    contentType,
    schemaName: refName(media.schema),
    fields: flatten(media.schema, schemas, '', 0),
  };
}

function refName(schema: JsonSchema): string | null {
  return schema.$ref?.startsWith('#/components/schemas/') ? schema.$ref.slice('#/components/schemas/'.length) : null;
}

function resolve(schema: JsonSchema, schemas: Record<string, JsonSchema>, depth = 0): JsonSchema {
  const name = refName(schema);
  if (!name || depth > 10) return schema;
  const target = schemas[name];
  return target ? resolve({ ...target, ...(schema.description ? { description: schema.description } : {}) }, schemas, depth + 1) : schema;
}

// A nested object or list of objects reads as its own rows, so "order.lineItems[].name" says where a field sits.
function flatten(input: JsonSchema, schemas: Record<string, JsonSchema>, prefix: string, depth: number): FieldRow[] {
  const schema = resolve(input, schemas);
  if (depth > 6) return [];
  const rows: FieldRow[] = [];
  if (isType(schema, 'object') && schema.properties) {
    const required = new Set(schema.required ?? []);
    for (const [name, property] of Object.entries(schema.properties)) {
      const path = prefix ? `${prefix}.${name}` : name;
      const resolved = resolve(property, schemas);
      rows.push({ path, type: typeName(resolved, schemas), required: required.has(name), description: resolved.description ?? null, constraints: constraintsOf(resolved) });
      rows.push(...nested(resolved, schemas, path, depth));
    }
  } else if (isType(schema, 'array') && schema.items) {
    rows.push(...flatten(schema.items, schemas, `${prefix}[]`, depth + 1));
  }
  return rows;
}

function nested(schema: JsonSchema, schemas: Record<string, JsonSchema>, path: string, depth: number): FieldRow[] {
  if (isType(schema, 'object') && schema.properties) return flatten(schema, schemas, path, depth + 1);
  if (isType(schema, 'array') && schema.items) {
    const items = resolve(schema.items, schemas);
    if (isType(items, 'object') && items.properties) return flatten(items, schemas, `${path}[]`, depth + 1);
  }
  return [];
}

function isType(schema: JsonSchema, type: string): boolean {
  return Array.isArray(schema.type) ? schema.type.includes(type) : schema.type === type;
}

function typeName(schema: JsonSchema, schemas: Record<string, JsonSchema>): string {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const names = types.map((type) => {
    if (type === 'array' && schema.items) return `${typeName(resolve(schema.items, schemas), schemas)}[]`;
    if (type === 'string' && schema.format) return `string (${schema.format})`;
    return type;
  });
  if (names.length > 0) return names.join(' | ');
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.map((alternative) => typeName(resolve(alternative, schemas), schemas)).join(' | ');
  return 'any';
}

function constraintsOf(schema: JsonSchema): string[] {
  const constraints: string[] = [];
  if (schema.enum) constraints.push(`one of ${schema.enum.map((value) => JSON.stringify(value)).join(', ')}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) constraints.push(range(schema.minimum, schema.maximum, ''));
  if (schema.minLength !== undefined || schema.maxLength !== undefined) constraints.push(range(schema.minLength, schema.maxLength, ' characters'));
  if (schema.minItems !== undefined || schema.maxItems !== undefined) constraints.push(range(schema.minItems, schema.maxItems, ' items'));
  if (schema.pattern) constraints.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) constraints.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.example !== undefined) constraints.push(`e.g. ${JSON.stringify(schema.example)}`);
  return constraints;
}

function range(min: number | undefined, max: number | undefined, unit: string): string {
  if (min !== undefined && max !== undefined) return `${min}–${max}${unit}`;
  if (min !== undefined) return `at least ${min}${unit}`;
  return `at most ${max}${unit}`;
}
