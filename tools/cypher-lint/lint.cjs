#!/usr/bin/env node
// Lints Cypher statements with Neo4j's own language support (the parser and semantic
// analysis of Neo4j's editors): syntax errors, undefined variables and parameters,
// deprecated features, and labels or relationship types missing from the schema.
//
// Input: JSON requests, one per line on stdin:
//   {"schema": {labels, relationshipTypes, propertyKeys},
//    "statements": [{"name": ..., "query": ..., "parameters": {...}}, ...]}
// Output: one JSON line per request on stdout:
//   [{"name": ..., "diagnostics": [{"severity": 1|2, "message": ..., "offsets": {start, end}}]}]
// Severity 1 is an error, 2 a warning. One process can answer many requests: the
// parser gets faster as it warms up (a cold statement takes a second or more).
'use strict';

const readline = require('readline');
const { lintCypherQuery } = require('@neo4j-cypher/language-support');

function answer(request) {
  const schema = request.schema || {};
  return (request.statements || []).map((statement) => ({
    name: statement.name,
    diagnostics: lintCypherQuery(statement.query, { ...schema, parameters: statement.parameters || {} })
      .map((d) => ({ severity: d.severity, message: d.message, offsets: d.offsets })),
  }));
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (line.trim()) {
    process.stdout.write(JSON.stringify(answer(JSON.parse(line))) + '\n');
  }
});
