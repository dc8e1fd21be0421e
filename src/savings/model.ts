/**
 * The savings model. A document signed and sent electronically instead of on paper saves, per document:
 *
 *   costPerDocumentVnd = paperVnd + postageVnd + staffTimeVnd
 *   estimatedSavingsVnd = documentsSigned × costPerDocumentVnd
 *
 * The three components follow the World Bank's split of the national estimate for the electronic
 * document exchange (over 1,200 billion đồng a year: paper and ink, postage, staff time). The amounts
 * per document are Kyso's assumptions, reasoned in docs/savings-model.md; a request may override any
 * component, or the total (`costPerDocumentVnd`), and the answer echoes what was in force.
 */

export type ParameterSource = 'sourced' | 'assumption'

export type Assumption = {
  name: string
  valueVnd: number
  unit: 'đồng per document'
  source: ParameterSource
  /** True when the request set this value. */
  overridden: boolean
  note: string
}

export type SavingsParameters = {
  paperVnd?: number
  postageVnd?: number
  staffTimeVnd?: number
  costPerDocumentVnd?: number
}

export const COMPONENTS = [
  {
    name: 'paperVnd',
    defaultVnd: 2_000,
    source: 'assumption' as ParameterSource,
    note: 'Paper, printing and ink of one outgoing document: about 4 printed A4 pages (original plus file and sender copies) at about 500 đồng a page including toner, and the envelope. Assumption.',
  },
  {
    name: 'postageVnd',
    defaultVnd: 12_000,
    source: 'assumption' as ParameterSource,
    note: 'Sending it by post or courier within the province (registered letter or express, as official documents are sent): about 10,000–20,000 đồng in 2017 tariffs; the lower middle is taken because some documents are delivered by hand. Assumption.',
  },
  {
    name: 'staffTimeVnd',
    defaultVnd: 8_000,
    source: 'assumption' as ParameterSource,
    note: 'Clerk time to print, stamp, envelope, log and dispatch a paper document, about 20 minutes, at about 21,000 đồng an hour (a commune civil servant in 2017: coefficient 2.34 × 1,300,000 đồng base salary plus 23.5% contributions, over 176 hours a month) ≈ 7,000 đồng, rounded up for the signatory\'s time. Assumption.',
  },
] as const

export const DEFAULT_COST_PER_DOCUMENT_VND = COMPONENTS.reduce((sum, c) => sum + c.defaultVnd, 0)

export const FORMULA = 'estimatedSavingsVnd = documentsSigned × costPerDocumentVnd; costPerDocumentVnd = paperVnd + postageVnd + staffTimeVnd unless costPerDocumentVnd is given'

export const REFERENCE = {
  name: 'worldBankNationalEstimate',
  source: 'sourced' as ParameterSource,
  note: 'World Bank estimate quoted by the Government Office: sending and receiving documents electronically through the national document exchange saves over 1,200 billion đồng a year, made up of paper and ink, postage, and staff time. Used for the three components of the model and as a plausibility check; it does not give amounts per document.',
}

export type ModelInForce = {
  costPerDocumentVnd: number
  assumptions: {
    formula: string
    costPerDocumentFrom: 'components' | 'request'
    parameters: Assumption[]
    reference: typeof REFERENCE
  }
}

/** The parameters in force for a request: defaults, overridden by what the request gives. */
export function modelInForce(overrides: SavingsParameters = {}): ModelInForce {
  const components: Assumption[] = COMPONENTS.map((c) => {
    const given = overrides[c.name as keyof SavingsParameters]
    return given === undefined
      ? { name: c.name, valueVnd: c.defaultVnd, unit: 'đồng per document', source: c.source, overridden: false, note: c.note }
      : { name: c.name, valueVnd: given, unit: 'đồng per document', source: 'assumption', overridden: true, note: `Given in the request (default ${c.defaultVnd}).` }
  })
  if (overrides.costPerDocumentVnd !== undefined) {
    return {
      costPerDocumentVnd: overrides.costPerDocumentVnd,
      assumptions: {
        formula: FORMULA,
        costPerDocumentFrom: 'request',
        parameters: [{
          name: 'costPerDocumentVnd', valueVnd: overrides.costPerDocumentVnd, unit: 'đồng per document', source: 'assumption', overridden: true,
          note: `Given in the request; it replaces the sum of the components (default ${DEFAULT_COST_PER_DOCUMENT_VND}).`,
        }],
        reference: REFERENCE,
      },
    }
  }
  const total = components.reduce((sum, c) => sum + c.valueVnd, 0)
  return {
    costPerDocumentVnd: total,
    assumptions: {
      formula: FORMULA,
      costPerDocumentFrom: 'components',
      parameters: [
        ...components,
        {
          name: 'costPerDocumentVnd', valueVnd: total, unit: 'đồng per document', source: 'assumption', overridden: false,
          note: 'The sum of paperVnd, postageVnd and staffTimeVnd.',
        },
      ],
      reference: REFERENCE,
    },
  }
}
