import { pathToFileURL } from 'node:url'
import { loadConfig, ConfigError } from '../config.ts'
import { openPreparedDatabase } from '../bootstrap.ts'
import { DataDirInUseError } from '../db/pglite-lock.ts'
import { waitUntilSeen } from '../db/version-watch.ts'
import type { Db } from '../db/open.ts'
import { DEMO_PROVINCE, DEMO_YEAR, loadDemo } from '../demo/load.ts'
import { ministryReport } from '../reports/service.ts'
import { formatInteger, formatPercent, formatTy } from '../reports/format.ts'
import { headlineSavings } from '../reports/render.ts'
import { formatDayVn, formatMonthVn } from '../lib/dates.ts'

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }

/** The 2017 report's summary, as printed by `npm run demo`. */
export async function demoSummary(db: Db): Promise<string> {
  const r = await ministryReport(db, { year: DEMO_YEAR, parent: DEMO_PROVINCE })
  const lines = [
    '',
    `Báo cáo năm ${DEMO_YEAR} — ${r.parent.name} (DỮ LIỆU MINH HỌA / demonstration data)`,
    `  Chứng thư số tổ chức của UBND cấp xã đến hết ngày ${formatDayVn(r.asOf)}: ${r.coverage.covered}/${r.coverage.total} = ${formatPercent(r.coverage.percent)}`
    + (r.reached100At ? ` (đạt 100% cuối tháng ${formatMonthVn(r.reached100At)})` : ''),
    `  Văn bản ký số năm ${DEMO_YEAR}: ${formatInteger(r.documentsSigned)}`,
    `  Tiết kiệm ước tính: ${formatInteger(r.estimatedSavingsVnd)} đồng (${formatTy(r.estimatedSavingsVnd)} đồng — ${headlineSavings(r.estimatedSavingsVnd)}), ${formatInteger(r.costPerDocumentVnd)} đồng mỗi văn bản`,
    '',
    'To see the report:',
    '  npm start',
    `  then open http://127.0.0.1:3000/v1/reports/ministry?year=${DEMO_YEAR}&parent=${DEMO_PROVINCE}&format=html`,
    `  (also &format=csv or &format=json; coverage over the year: /v1/coverage/timeline?from=${DEMO_YEAR}-01&to=${DEMO_YEAR}-12&parent=${DEMO_PROVINCE})`,
    '',
  ]
  return lines.join('\n')
}

export async function runDemo(args: string[], io: Io): Promise<number> {
  if (args.length) {
    io.stderr.write('Usage: npm run demo   (or: kyso demo)\nLoads the 2017 Bình Thuận demonstration into the configured database (DATABASE_URL, or the embedded one in DATA_DIR).\n')
    return args.includes('-h') || args.includes('--help') ? 0 : 2
  }
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`kyso demo: configuration error: ${err.message}\n`)
      return 2
    }
    throw err
  }
  let database
  try {
    database = await openPreparedDatabase(config, (msg) => io.stdout.write(`${msg}\n`))
  } catch (err) {
    if (err instanceof DataDirInUseError) {
      io.stderr.write(`kyso demo: ${err.message}\n`)
      return 3
    }
    throw err
  }
  try {
    io.stdout.write(`Loading the 2017 Bình Thuận DEMONSTRATION into ${config.databaseUrl ? 'the PostgreSQL database at DATABASE_URL' : `the embedded database in ${config.dataDir}`}.\n`)
    const result = await loadDemo(database.db, (line) => io.stdout.write(`${line}\n`))
    // Done only once every running server's read cache has taken the demonstration in.
    await waitUntilSeen(database.db)
    if (result.status === 'already_loaded') {
      io.stdout.write(`The demonstration is already loaded (${result.certificates} demonstration certificates); nothing was changed.\n`)
    } else {
      io.stdout.write(`Loaded: ${result.certificates} demonstration certificates, ${result.activityRows} months of activity.\n`)
    }
    io.stdout.write(await demoSummary(database.db))
    return 0
  } catch (err) {
    io.stderr.write(`kyso demo: ${(err as Error).message}\n`)
    return 1
  } finally {
    await database.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void runDemo(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => { process.exitCode = code })
}
