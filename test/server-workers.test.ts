/**
 * The worker threads load in both forms the server runs in — from the sources (tsx, whose loader workers
 * do not inherit) and compiled (`npm start`, dist/) — and do the uploads' heavy work: chain checking of a
 * certificate batch and verification of a signed PDF, through a real socket.
 */
import t from 'tap'
import { COMPILED, FROM_SOURCES, seededDataDir, startServer } from './helpers/server-process.ts'
import { tanHaDucLinh } from './helpers/pki.ts'
import { basePdf, signPdf, signingKit } from './helpers/signed-docs.ts'
import { EMBEDDED_ONLY } from './helpers/db.ts'

const ADMIN = 'worker-test-admin-token'
let made: ReturnType<typeof signingKit> | undefined
const signing = () => (made ??= signingKit(tanHaDucLinh(), 'Workers'))

// The two forms are independent: they run side by side.
t.jobs = 2
for (const [form, args] of [['from the sources', FROM_SOURCES], ['compiled', COMPILED]] as const) {
  t.test(`${form}: a batch's chains and a signed PDF are checked in worker threads`, { skip: EMBEDDED_ONLY }, async (t) => {
    const dir = await seededDataDir(t, 'kyso-workers-')
    const server = await startServer({ DATA_DIR: dir, ADMIN_TOKEN: ADMIN }, 180_000, args)
    t.teardown(() => { server.child.kill('SIGKILL') })
    const kit = signing()
    const post = async (url: string, type: string, body: string | Uint8Array<ArrayBuffer>) => {
      const res = await fetch(`${server.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': type }, body })
      return { status: res.status, body: await res.json() as Record<string, unknown> }
    }
    t.equal((await post('/v1/trust-anchors', 'application/x-pem-file', kit.root.pem)).status, 201)

    const batch = await post('/v1/certificates/batch', 'application/x-pem-file', kit.rsa.pem + kit.ec.pem + kit.ca.pem)
    t.equal(batch.status, 200, JSON.stringify(batch.body).slice(0, 300))
    t.match(batch.body.results, [{ status: 201, unitCode: '23221' }, { status: 201, unitCode: '23221' }], 'both leaves chain to the anchor')

    const document = await post('/v1/documents', 'application/pdf', new Uint8Array(signPdf(basePdf(), kit.rsa, { chain: kit.ca.pem })))
    t.equal(document.status, 200, JSON.stringify(document.body).slice(0, 300))
    t.match(document.body, { counted: true, unitCode: '23221', signatures: [{ ok: true, problems: [] }] })
    t.notMatch(server.output(), /"level":50/, 'nothing failed on the server')
  })
}
