import { runImportCsv } from './import-csv.ts'

const USAGE = `Usage: kyso <command>

Commands:
  import-units FILE      Import administrative units from a CSV (code,name,type,level,parent_code[,valid_from,valid_to])
                         into the configured database (DATABASE_URL, or the embedded one in DATA_DIR).
  import-lineage FILE    Import lineage between unit versions from a CSV (old_code,old_valid_to,new_code,new_valid_from,share).
  verify …               Verify certificates against trust anchors (kyso verify --help).
  verify-document …      Verify the signatures of signed PDFs and CMS files (kyso verify-document --help).
  demo                   Load the 2017 Bình Thuận demonstration (same as npm run demo).
`

export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }
  switch (command) {
    case 'import-units':
    case 'import-lineage':
      return runImportCsv(command, rest, io)
    case 'verify': {
      const { runVerify } = await import('./verify.ts')
      return runVerify(rest, io)
    }
    case 'verify-document': {
      const { runVerifyDocument } = await import('./verify-document.ts')
      return runVerifyDocument(rest, io)
    }
    case 'demo': {
      const { runDemo } = await import('./demo.ts')
      return runDemo(rest, io)
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE)
      return command === undefined ? 2 : 0
    default:
      process.stderr.write(`kyso: unknown command ${JSON.stringify(command)}\n\n${USAGE}`)
      return 2
  }
}
