// Lint Cypher statements with Neo4j's own grammar (@neo4j-cypher/language-support), offline.
// stdin:  JSON array of {"name": str, "query": str}
// stdout: JSON array of {"name", "errors": [{message, line, column}], "warnings": [...]}
// Parameters ($x) are values supplied at run time, so "Parameter $x is not defined" is not an error here.
import * as pkg from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const items = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const where = (d) => ({ message: d.message, line: d.range.start.line + 1, column: d.range.start.character + 1 });
const results = items.map(({ name, query }) => {
  const { diagnostics } = pkg.lintCypherQuery(query, {});
  const real = diagnostics.filter(pkg.isNotParamError);
  return {
    name,
    errors: real.filter((d) => d.severity === 1).map(where),
    warnings: real.filter((d) => d.severity !== 1).map(where),
  };
});
process.stdout.write(JSON.stringify(results));
