/** The text of src/units/seed/SOURCES.md, from the generator's inputs and counts. */

export type SourcesFacts = {
  inputs: { file: string; sha256: string; rows: number }[]
  outputs: { file: string; sha256: string; rows: number }[]
  unitsByLevel: Record<string, number>
  distinctCodes: number
  lineageByOrigin: Record<string, number>
  lineageByShare: Record<string, number>
  reformByShare: Record<string, number>
  otherNotes: { note: string; share: string; rule: string; count: number; pairs: string[] }[]
  wholeAndMore: string[]
  gaps: string[]
  provincesContinuing: string[]
  figures: string[]
}

const RULE_TEXT: Record<string, string> = {
  'renamed': 'rename or type change: same code, and the old unit went only into this new unit → `unchanged`',
  'district-to-dac-khu': 'a whole district (or Thổ Châu) made into a đặc khu → `whole`',
  'other-part': 'any other note (rest after a split, rename from part of a unit, rename of a unit that was also divided) → `part`',
  'merged-whole': '`Nhập toàn bộ…` → `whole`',
  'merged-part': '`Nhập một phần…` → `part`',
  'kept': '`Giữ nguyên` → `unchanged`',
}

const n = (x: number) => x.toLocaleString('en-US')
const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')

export function sourcesMarkdown(f: SourcesFacts): string {
  return `# Seed data: Vietnam's administrative units 2017-12-31 → 2026-12-01

These files seed an empty Kyso database with every version of every Vietnamese
administrative unit from 2017-12-31 on, and with the lineage that links versions across
changes. They are generated; do not edit them by hand.

\`\`\`sh
npm run seed:generate            # = node --import tsx scripts/generate-units-seed.ts ../shared/data/admin-units
\`\`\`

The generator refuses to run if any input's sha256 differs from the one recorded in
\`scripts/generate-units-seed.ts\` (update the constant only after reading what changed
upstream), checks every lineage row against the history and prints the figures below.
\`test/units/seed-files.test.ts\` checks the figures again from the committed files alone.

## Files

${table(['file', 'rows (without header)', 'sha256'], f.outputs.map((o) => [`\`${o.file}\``, n(o.rows), `\`${o.sha256}\``]))}

- \`vietnam-units.csv\`: header \`code,name,type,level,parent_code,valid_from,valid_to\`,
  the body of \`POST /v1/units/import\`. One row per version (${n(f.unitsByLevel.province ?? 0)} province,
  ${n(f.unitsByLevel.district ?? 0)} district, ${n(f.unitsByLevel.commune ?? 0)} commune versions; ${n(f.distinctCodes)} distinct codes).
  Rows, names and order are those of the history file (names NFC): by \`valid_from\`, so
  the parent version in force on a row's \`valid_from\` always comes earlier. Empty
  \`valid_from\`: already in force on 2017-12-31 (it says nothing about when it began).
  Empty \`valid_to\`: still in force on 2026-12-01. **A code is not a key**: codes are
  reused (3,316 codes across the 2025 reform alone); a version is \`(code, valid_from)\`.
- \`vietnam-lineage.csv\`: header \`old_code,old_valid_to,new_code,new_valid_from,share\`,
  the body of \`POST /v1/units/lineage\`. Each row joins the version of \`old_code\` that
  ends on \`old_valid_to\` to the version of \`new_code\` that starts on \`new_valid_from\`.
  \`share\`: \`whole\` (the whole old unit went into the new one), \`part\` (part of it did),
  \`unchanged\` (the same People's Committee goes on under a new version).

## Lineage rows

${table(['rows', 'count'], [
  ['2025 reform, commune level (and the 5 districts without communes)', n(f.lineageByOrigin['reform-commune'] ?? 0)],
  ['2025 reform, provinces', n(f.lineageByOrigin['reform-province'] ?? 0)],
  ['same code, next version on the following day (outside 2025-07-01)', n(f.lineageByOrigin['continuation'] ?? 0)],
  ['**total**', n(Object.values(f.lineageByOrigin).reduce((a, b) => a + b, 0))],
])}

By share: ${Object.entries(f.lineageByShare).map(([s, c]) => `${s} ${n(c)}`).join(', ')}.
Of the 2025 commune rows: ${Object.entries(f.reformByShare).map(([s, c]) => `${s} ${n(c)}`).join(', ')}.

### How the rows are made

1. **2025 reform, communes.** Every pair of \`reform-2025-mapping-notes.csv\` (NSO's
   conversion table, plus one pair from resolution 1671/NQ-UBTVQH15) becomes
   \`old_code,2025-06-30,new_code,2025-07-01\`. The share comes from NSO's note:
   \`Giữ nguyên\` → \`unchanged\`; notes starting \`Nhập toàn bộ\` → \`whole\`; notes
   starting \`Nhập một phần\` (also NSO's typo \`Nhâp\`; "diện tích", "dân số",
   "diện tích, toàn bộ dân số") → \`part\`. Five rows have a 3-digit district as
   \`old_code\`: the districts without communes that each became a đặc khu.
   Every note decided by another rule:

${table(['note (verbatim)', 'rows', 'share', 'rule', 'pairs (old → new)'], f.otherNotes.map((o) => [o.note, o.count, o.share, RULE_TEXT[o.rule] ?? o.rule, o.pairs.length <= 6 ? o.pairs.join(', ') : '…']))}

2. **2025 reform, provinces.** Each row of \`reform-2025-provinces.csv\` whose old
   province has a version ending on 2025-06-30 becomes \`old,2025-06-30,new,2025-07-01,whole\`
   (every old province went whole into one new province; the 23 merged provinces
   start new versions on 2025-07-01 even where code and name stay, e.g. 68 Tỉnh Lâm Đồng).
   The ${f.provincesContinuing.length} provinces that were not rearranged (${f.provincesContinuing.join(', ')})
   run on in one version and get no row.
3. **Other changes.** Where the history has a version of a code ending on day D and a
   version of the same code starting on D + 1 (D + 1 ≠ 2025-07-01), the row is
   \`unchanged\`: renames, type changes (the 2026 xã → phường conversions of Đồng Nai and
   Bắc Ninh; Đồng Nai, Quảng Ninh and Bắc Ninh becoming centrally-run cities), parent
   changes (communes moved to another district).

**Lineage for changes other than the 2025 reform exists only where a code continues
with a new version.** Mergers, dissolutions and code reassignments before 2025 are not
in the lineage: the sources are GSO's dated lists, which show that a code disappears,
not which unit absorbed it. For example Bình Thuận's 2020 and 2024 mergers (23002 Xã
Hòa Phú into 22972 Thị trấn Phan Rí Cửa, and so on) have no row; the history's
\`SOURCES-history.md\` and the Bình Thuận chain \`binh-thuan-2017-to-2025.csv\` in the
data folder describe them.

Points to know:

- **\`unchanged\` on a code's next version is the history's reading, not a legal one.** A
  merged unit often kept the code of one of its predecessors, sometimes under a new name
  (23167 Xã Đức Tân → Xã Măng Tố on 2020-01-01 after Xã Măng Tố 23155 merged into it;
  22951 Phường Hưng Long → Phường Bình Hưng on 2024-12-01). The history cannot tell such
  a merger from a plain rename, so both are \`unchanged\`.
- **A pair marked \`whole\` beside \`part\` pairs of the same old unit**, as NSO wrote them:
  ${f.wholeAndMore.join('; ')}.
- **Codes with a gap between two versions** get no row: the code fell vacant when its
  unit merged, and was later given to another merged unit (GSO moving it to another
  predecessor's code; see \`SOURCES-history.md\`, "Code reassignments without a legal
  act"): ${f.gaps.join(', ')}.

Checked when generating: every row's old version (code, \`valid_to\`) and new version
(code, \`valid_from\`) exist in \`vietnam-units.csv\`; no pair appears twice; the pairs of
the two mapping files are the same; each mapping row's provinces agree with
\`reform-2025-provinces.csv\`.

## Figures (from the generated files)

${f.figures.map((x) => `- ${x}`).join('\n')}

## Inputs

From Kyso's shared data folder \`data/admin-units/\` (its \`SOURCES-history.md\`,
\`SOURCES-2025.md\` and \`SOURCES.md\` give every source, correction and check in full):

${table(['file', 'rows (without header)', 'sha256'], f.inputs.map((i) => [`\`${i.file}\``, n(i.rows), `\`${i.sha256}\``]))}

Where those files come from, in short:

- **History 2017-12-13 → 2025-03-01:** GSO's full three-level lists
  (danhmuchanhchinh.gso.gov.vn, \`DMDVHC.asmx\`), one per effective date, as kept in the
  repository **dvhcvn/data** (\`data.json\`, \`key.txt\`; commits \`5bd2fd01ebd9d5d7b97a9e09992944b7a181da70\`
  for 2017-12-13 through \`5393138f97bf5dd32a6b92d88d99691ed09e931d\` for 2025-03-01; the
  part up to 2021-07-01 is also **daohoangson/dvhcvn-historical-data**). Effective
  dates were moved to the acts' own dates where GSO gives another date, and 12
  "ghost" units that GSO listed again years after dissolving them were removed
  (all corrections are listed in \`SOURCES-history.md\`).
- **2025-06-30:** the 2025-03-01 GSO list without the ghosts: 63 provinces, 696
  districts, 10,035 commune-level units.
- **2025-07-01:** Phụ lục I of Công văn 1027/CTK-CSCL and Công văn 915/CTK-CSCL of the
  statistics office (NSO), in **dvhcvn/20250701** (commit \`dd94887ce32324380bc5bb0a76fe39867dafc73b\`);
  codes as in Quyết định 19/2025/QĐ-TTg. 34 provinces, 3,321 communes.
- **Reform mapping and provinces:** NSO's conversion table "Đơn vị hành chính từ ngày
  01/7/2025 ↔ trước ngày 01/7/2025" (sheet "Tổng hợp_không merge"), exported in
  **sunshine-tech/VietnamProvinces** \`dev/seed-data/2025-07/BangChuyendoiĐVHCmoi_cu_khong_merge.csv\`
  (commit \`6d9e4fecde4eea99d353e53e7a241b8e183a13a7\`), with three code typos corrected
  and one pair (23053 Xã Hòa Thắng → 23041 Xã Hồng Thái) added from 1671/NQ-UBTVQH15;
  checked against the 34 commune resolutions 1654–1687/NQ-UBTVQH15 (dvhcvn/20250701).
- **2026:** NSO's decree list as captured in **thanglequoc/vietnamese-provinces-database**
  (commit \`3cfc59a0fc30b4c5daaf423712acccbac5637383\`) and its data (tag \`v3.1.0\`, commit
  \`21419f261aba49dc475e66290f83d4b6d3af4546\`; patches v5.0.0 \`9a30e8d33cd5ea16ac254eb625d80cd06395407f\`,
  v5.1.0 \`f8de63cd778b2f6144d7e7c0153cd5c711f58c60\`, v5.2.0 \`adfc8d5cd9b599213d1980ecd90817d135d282da\`):
  30/2026/QH16 (Thành phố Đồng Nai, 2026-04-30), 237/NQ-UBTVQH16 (10 xã → phường in Đồng
  Nai, 2026-04-30), 36/2026/QH16 (Thành phố Quảng Ninh, 2026-09-01), 39/2026/QH16 and
  388/NQ-UBTVQH16 (Thành phố Bắc Ninh and 12 xã → phường, 2026-09-20).

The data are official codes, names and legal facts (GSO/NSO lists, resolutions of the
National Assembly and its Standing Committee); no code from the repositories above is
used. Their licences are listed in the data folder's \`SOURCES-2025.md\`.

Known limits (from the data folder): names of 2017–2019 are GSO's spelling at download
time; a few effective dates rest on press reports; acts in force after about
2026-09-20 and before 2026-12-01 would be missing (none was found).
`
}
