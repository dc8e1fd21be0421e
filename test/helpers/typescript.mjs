// How test files load TypeScript: Node.js 22.18 and later strip the types themselves; older lines (20) load
// it through tsx. tsx's loader hooks run on a thread of their own and cost every module they see a round
// trip to it: about 2 s of CPU per test file that loads the app.
if (!process.features.typescript) await import('tsx')
