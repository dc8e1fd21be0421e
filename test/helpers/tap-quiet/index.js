// A tap plugin that only tells the runner to have its process-info recorder leave out every file. tap loads
// the recorder into every test process, where it reads each module the process loads a second time, notes the
// length of every line and parses the source maps, for coverage and `tap --changed`, neither of which this suite
// uses. The runner sets the recorder's exclusion when it starts (over any `test-env` setting) and passes it to
// each test file it spawns; this plugin sets it after that, in the runner only, and the test processes pass it on
// to the processes they start. test/health.test.ts under the runner, Node.js 24: 0.66 → 0.54 CPU-s; the whole
// suite, back to back on 2 cores: PGlite 138.2 → 125.9 s, PostgreSQL 136.8 → 126.7 s.
// The variable is tap's own (@tapjs/run, @tapjs/processinfo): a tap that no longer reads it is only slower.
// (A package, linked by npm from package.json, because tap finds plugins by name from its own build folder.)
exports.plugin = (_t, opts) => {
  if (opts && opts.context === Symbol.for('tap.isRunner')) process.env._TAPJS_PROCESSINFO_EXCLUDE_ = '/./'
  return {}
}
