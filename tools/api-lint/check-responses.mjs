#!/usr/bin/env node
// Checks recorded HTTP responses against the OpenAPI 3.1 spec: each response's status must be
// documented for its operation (or a documented `default`), its content type must be the
// documented one and its body must validate against the documented schema (JSON Schema
// 2020-12, Ajv).
//
//   node check-responses.mjs <openapi.yaml> <responses.jsonl>
//   node check-responses.mjs --list-operations <openapi.yaml>
//
// Each JSONL line: {"method","path" (concrete, query allowed),"status","content_type","body"}
// where body is the parsed JSON, a string for a non-JSON body, or null for none.
// Prints one line per failure and a summary; exits 1 on any failure or when the file holds no
// response at all, 2 on bad usage.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const COMPONENTS_ID = 'https://vantus.invalid/openapi/components';

function usage(message) {
  console.error(`check-responses: ${message}`);
  console.error('usage: node check-responses.mjs <openapi.yaml> <responses.jsonl>');
  console.error('       node check-responses.mjs --list-operations <openapi.yaml>');
  process.exit(2);
}

function loadSpec(file) {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    usage(`cannot read ${file}: ${error.message}`);
  }
}

// Follows a local `$ref` ('#/a/b') to the object it names.
function resolveRef(spec, value) {
  let current = value;
  for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
    if (hops > 16 || !current.$ref.startsWith('#/')) {
      throw new Error(`cannot resolve $ref ${current.$ref}`);
    }
    current = current.$ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((node, key) => (node === undefined ? undefined : node[key]), spec);
    if (current === undefined) {
      throw new Error(`dangling $ref ${value.$ref}`);
    }
  }
  return current;
}

// Rewrites '#/components/schemas/X' so that a schema compiled on its own finds X.
function rebaseRefs(node) {
  if (Array.isArray(node)) {
    return node.map(rebaseRefs);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      out[key] = `${COMPONENTS_ID}#/$defs/${value.slice('#/components/schemas/'.length)}`;
    } else {
      out[key] = rebaseRefs(value);
    }
  }
  return out;
}

function makeAjv(spec) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  // OpenAPI's own formats and keywords, which JSON Schema does not define.
  ajv.addFormat('int64', { type: 'number', validate: (x) => Number.isInteger(x) });
  ajv.addFormat('int32', { type: 'number', validate: (x) => Number.isInteger(x) && Math.abs(x) < 2 ** 31 });
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rebaseRefs(spec.components?.schemas ?? {}) });
  return ajv;
}

function templateRegex(template) {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${escaped}$`);
}

// Every (method, template) of the spec, with the template's regex.
function operationsOf(spec) {
  const operations = [];
  for (const [template, item] of Object.entries(spec.paths ?? {})) {
    const regex = templateRegex(template);
    const params = (template.match(/\{/g) ?? []).length;
    for (const method of METHODS) {
      if (item[method]) {
        operations.push({ method: method.toUpperCase(), template, regex, params, op: item[method] });
      }
    }
  }
  return operations;
}

// The template a concrete path matches; a literal segment beats a parameter.
function findTemplate(operations, path) {
  const matches = operations.filter((o) => o.regex.test(path));
  if (matches.length === 0) {
    return null;
  }
  const fewest = Math.min(...matches.map((o) => o.params));
  return matches.find((o) => o.params === fewest).template;
}

function mediaTypeOf(contentType) {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function isJsonMedia(media) {
  return media === 'application/json' || media.endsWith('+json');
}

function describeErrors(errors) {
  return errors
    .map((e) => {
      const where = e.instancePath === '' ? 'body' : `body${e.instancePath}`;
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${e.params.additionalProperty})`
          : e.keyword === 'enum'
            ? ` (${JSON.stringify(e.params.allowedValues)})`
            : '';
      return `${where} ${e.message}${extra} [${e.schemaPath}]`;
    })
    .join('; ');
}

function checkOne(spec, ajv, operations, validators, record) {
  const method = String(record.method ?? '').toUpperCase();
  const path = String(record.path ?? '').split('?')[0];
  const status = String(record.status);
  const template = findTemplate(operations, path);
  if (template === null) {
    return `no path of the spec matches ${path}`;
  }
  const operation = operations.find((o) => o.template === template && o.method === method);
  if (!operation) {
    return `${template} documents no ${method}`;
  }
  const responses = operation.op.responses ?? {};
  const key = [status, `${status[0]}XX`, 'default'].find((k) => k in responses);
  if (key === undefined) {
    return `status ${status} is not documented for ${method} ${template} (documented: ${Object.keys(responses).join(', ')})`;
  }
  const response = resolveRef(spec, responses[key]);
  const content = response.content ?? {};
  const media = mediaTypeOf(record.content_type);
  const documented = Object.keys(content);
  if (documented.length === 0) {
    if (media !== '' || (record.body !== null && record.body !== undefined && record.body !== '')) {
      return `response ${key} of ${method} ${template} documents no body, got ${media || 'a body'}`;
    }
    return null;
  }
  if (!(media in content)) {
    return `content type "${record.content_type ?? ''}" is not documented for ${key} (documented: ${documented.join(', ')})`;
  }
  const schema = content[media].schema;
  if (schema === undefined) {
    return null;
  }
  if (isJsonMedia(media) && (record.body === null || record.body === undefined)) {
    return `the body is not JSON although ${media} is documented`;
  }
  const cacheKey = `${method} ${template} ${key} ${media}`;
  let validate = validators.get(cacheKey);
  if (!validate) {
    validate = ajv.compile(rebaseRefs(schema));
    validators.set(cacheKey, validate);
  }
  if (record.body !== null && record.body !== undefined && !validate(record.body)) {
    return describeErrors(validate.errors);
  }
  return null;
}

function main(argv) {
  if (argv[0] === '--list-operations') {
    if (argv.length !== 2) usage('--list-operations takes the spec file');
    for (const o of operationsOf(loadSpec(argv[1]))) {
      console.log(`${o.method} ${o.template}`);
    }
    return 0;
  }
  if (argv.length !== 2) usage('expected two arguments');
  const spec = loadSpec(argv[0]);
  let lines;
  try {
    lines = readFileSync(argv[1], 'utf8').split('\n').filter((line) => line.trim() !== '');
  } catch (error) {
    usage(`cannot read ${argv[1]}: ${error.message}`);
  }
  const ajv = makeAjv(spec);
  const operations = operationsOf(spec);
  const validators = new Map();
  let failures = 0;
  lines.forEach((line, index) => {
    let record;
    let problem;
    try {
      record = JSON.parse(line);
      problem = checkOne(spec, ajv, operations, validators, record);
    } catch (error) {
      problem = `line ${index + 1}: ${error.message}`;
    }
    if (problem) {
      failures++;
      const who = record ? `${record.method} ${record.path} ${record.status}` : `line ${index + 1}`;
      console.log(`FAIL ${who}: ${problem}`);
    }
  });
  const verdict =
    lines.length === 0 ? 'nothing to check' : failures === 0 ? 'all match' : `${failures} failed`;
  console.log(`checked ${lines.length} responses against ${argv[0]}: ${verdict}`);
  return failures === 0 && lines.length > 0 ? 0 : 1;
}

process.exit(main(process.argv.slice(2)));
