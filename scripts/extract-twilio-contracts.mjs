// Re-extracts the parts of Twilio's OpenAPI descriptions this app uses into test/contracts/twilio/.
// Usage: node scripts/extract-twilio-contracts.mjs <git dir of a twilio/twilio-oai clone> [commit]
// Keeps each used operation whole (parameters, request body, response schemas) and every component
// schema they reference; drops examples and CORS response headers, which no check reads.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const [gitDir, commitArg = 'HEAD'] = process.argv.slice(2);
if (!gitDir) {
  console.error('Usage: node scripts/extract-twilio-contracts.mjs <twilio-oai git dir> [commit]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const commit = git('rev-parse', commitArg).trim();

const QM = '/v1/Insights/QualityManagement';
const TARGETS = [
  {
    source: 'spec/json/twilio_flex_v1.json',
    out: 'test/contracts/twilio/flex-v1.json',
    operations: {
      [`${QM}/Assessments/Comments`]: ['get', 'post'],
      '/v1/Insights/Segments': ['get'],
      [`${QM}/Settings/CommentTags`]: ['get'],
      // Scorecards (questionnaires) and their assessments.
      [`${QM}/Questionnaires`]: ['get', 'post'],
      [`${QM}/Questionnaires/{QuestionnaireSid}`]: ['get', 'post', 'delete'],
      [`${QM}/Questions`]: ['get', 'post'],
      [`${QM}/Questions/{QuestionSid}`]: ['post', 'delete'],
      [`${QM}/Categories`]: ['get', 'post'],
      [`${QM}/Categories/{CategorySid}`]: ['post', 'delete'],
      [`${QM}/Settings/AnswerSets`]: ['get'],
      [`${QM}/Assessments`]: ['get', 'post'],
      [`${QM}/Assessments/{AssessmentSid}`]: ['post'],
    },
  },
  {
    source: 'spec/json/twilio_taskrouter_v1.json',
    out: 'test/contracts/twilio/taskrouter-v1.json',
    operations: {
      '/v1/Workspaces/{WorkspaceSid}/Workers': ['get'],
      '/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}': ['get'],
    },
  },
];

function refsIn(value, found) {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.add(item.replace('#/components/schemas/', ''));
      else refsIn(item, found);
    }
  }
  return found;
}

function withoutExamples(value) {
  if (Array.isArray(value)) return value.map(withoutExamples);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'examples' && key !== 'example')
      .map(([key, item]) => [key, withoutExamples(item)]),
  );
}

for (const target of TARGETS) {
  const spec = JSON.parse(git('show', `${commit}:${target.source}`));
  const paths = {};
  for (const [path, methods] of Object.entries(target.operations)) {
    const item = spec.paths[path];
    if (!item) throw new Error(`${target.source} has no path ${path}`);
    paths[path] = { servers: item.servers };
    for (const method of methods) {
      const operation = structuredClone(item[method]);
      if (!operation) throw new Error(`${target.source} has no ${method.toUpperCase()} ${path}`);
      for (const response of Object.values(operation.responses ?? {})) delete response.headers;
      paths[path][method] = withoutExamples(operation);
    }
  }
  const schemas = {};
  const pending = [...refsIn(paths, new Set())];
  while (pending.length > 0) {
    const name = pending.pop();
    if (schemas[name]) continue;
    const schema = spec.components.schemas[name];
    if (!schema) throw new Error(`${target.source} has no schema ${name}`);
    schemas[name] = withoutExamples(schema);
    pending.push(...refsIn(schema, new Set()));
  }
  const fixture = {
    'x-vendored-from': {
      repository: 'https://github.com/twilio/twilio-oai',
      path: target.source,
      commit,
      licence: 'MIT',
    },
    openapi: spec.openapi,
    info: { title: spec.info.title, version: spec.info.version },
    paths,
    components: { securitySchemes: spec.components.securitySchemes, schemas },
  };
  writeFileSync(target.out, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(
    `${target.out}: ${Object.keys(paths).length} paths, ${Object.keys(schemas).length} schemas from ${commit}`,
  );
}
