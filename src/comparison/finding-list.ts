/**
 * Finding rows as the GraphQL list reads them (through Prisma, so the list pages like any
 * other connection): the where clause of a finding filter. The conditions are those of the
 * SQL counts in finding-counts.ts, spelled as a Prisma where object (plain data).
 */
import { regionCodePrefix } from '../catalogue/regions.ts';
import type { FindingFilter } from './finding-counts.ts';

export type { FindingCell, FindingDraft } from '../validation/check.ts';

/** Prisma where of `finding` for the filter; the filter must have passed `checkFindingFilter`. */
export function findingWhere(filter: FindingFilter | null | undefined) {
  const agency = filter?.agency;
  const prefix = agency?.regionCode ? regionCodePrefix(agency.regionCode) : null;
  const report = {
    ...(filter?.years?.length ? { year: { in: [...filter.years] } } : {}),
    agency: {
      ...(prefix ? { regionCode: { startsWith: prefix } } : {}),
      ...(agency?.levels ? { level: { in: [...agency.levels] } } : {}),
      ...(agency?.kinds ? { kind: { in: [...agency.kinds] } } : {}),
      ...(agency?.ids ? { id: { in: [...agency.ids] } } : {}),
      ...(agency?.synthetic != null ? { synthetic: agency.synthetic } : {}),
    },
  };
  return {
    ...(filter?.rules?.length ? { ruleId: { in: [...filter.rules] } } : {}),
    ...(filter?.severity ? { severity: filter.severity } : {}),
    ...(filter?.status ? { status: filter.status } : {}),
    revision: filter?.includeSuperseded ? { report } : { currentOf: { is: report } },
  };
}
