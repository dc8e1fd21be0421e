export const LEVELS = ['province', 'district', 'commune'] as const
export type Level = (typeof LEVELS)[number]

export const UNIT_TYPES = ['tinh', 'thanh_pho_tw', 'thanh_pho', 'thi_xa', 'quan', 'huyen', 'xa', 'phuong', 'thi_tran', 'dac_khu'] as const
export type UnitType = (typeof UNIT_TYPES)[number]

/** Which types belong to which level. */
export const TYPES_BY_LEVEL: Record<Level, readonly UnitType[]> = {
  province: ['tinh', 'thanh_pho_tw'],
  district: ['thanh_pho', 'thi_xa', 'quan', 'huyen'],
  commune: ['xa', 'phuong', 'thi_tran', 'dac_khu'],
}

/** Which levels a unit's parent may have (communes hang directly under provinces since 2025-07-01). */
export const PARENT_LEVELS: Record<Level, readonly Level[]> = {
  province: [],
  district: ['province'],
  commune: ['district', 'province'],
}

export type Unit = {
  code: string
  name: string
  type: UnitType
  level: Level
  parentCode: string | null
  validFrom: string | null
  validTo: string | null
}
