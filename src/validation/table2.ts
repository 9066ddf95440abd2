/**
 * The table-2 checks of the catalogue (table2-rules.ts): bounds within one report, and the
 * items of one year against the year before. Pure, like check.ts, whose rules on blanks
 * they follow: a figure not printed is never 0, a check needing it is INCOMPLETE.
 */

import { boundsOf, TABLE2_ITEM_LINKS } from '../catalogue/table2-rules.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import {
  type Figures,
  type FindingCell,
  type FindingDraft,
  figureOf,
  incomplete,
  sideCells,
  sumOf,
  violated,
  type YearFigures,
} from './finding.ts';

const notPrinted = (c: FindingCell) => c.status !== 'REPORTED';

/** The bounds of the report's template that its printed figures break, or cannot be checked. */
export function checkBounds(report: {
  templateVersion: TemplateVersion;
  year: number;
  figures: Figures;
}): FindingDraft[] {
  const findings: FindingDraft[] = [];
  for (const bound of boundsOf(report.templateVersion)) {
    const valueCells = sideCells(report.figures, bound.value, 'ACTUAL', report.year);
    const boundCells = sideCells(report.figures, bound.bound, 'EXPECTED', report.year);
    const cells = [...boundCells, ...valueCells];
    const base = { year: report.year, ruleId: bound.rule, scope: bound.scope, cells, otherYear: null };
    if (cells.every(notPrinted)) continue;
    if (cells.some(notPrinted)) {
      findings.push(
        incomplete(
          base,
          { zh: bound.scopeZh, en: bound.scopeEn },
          (cell) => figureOf(report.figures, cell.code).blank === true,
        ),
      );
      continue;
    }
    const expected = sumOf(boundCells);
    const actual = sumOf(valueCells);
    const holds = bound.relation === 'AT_MOST' ? actual <= expected : actual >= expected;
    if (holds) continue;
    const parts = valueCells.length > 1 ? `${valueCells.map((c) => c.value).join(' + ')} = ` : '';
    findings.push(
      violated(base, expected, actual, (e, a, d) => {
        const [zh, en] =
          bound.relation === 'AT_MOST'
            ? [
                `应不超过${bound.bound.zh} = ${e}，超出 ${d}`,
                `should not exceed ${bound.bound.en} = ${e} (over by ${d})`,
              ]
            : [`应不小于 ${e}，相差 ${d}`, `should be at least ${e} (difference ${d})`];
        return {
          zh: `${bound.scopeZh}：${bound.value.zh} = ${parts}${a}，${zh}。`,
          en: `${bound.scopeEn}: ${bound.value.en} = ${parts}${a}, which ${en}.`,
        };
      }),
    );
  }
  return findings;
}

/**
 * 上一年项目数量 of `current` against 上一年项目数量 + 本年增/减 of `previous`, the year before.
 * A year whose template has none of a link's cells (V2021) is not compared: there is nothing
 * to carry over, which is not a gap.
 */
export function checkItemLinks(current: YearFigures, previous: YearFigures): FindingDraft[] {
  const findings: FindingDraft[] = [];
  for (const link of TABLE2_ITEM_LINKS) {
    const before = sideCells(previous.figures, link.previousYear, 'EXPECTED', previous.year);
    const now = sideCells(current.figures, link.thisYear, 'ACTUAL', current.year);
    const absent = (cells: FindingCell[]) => cells.every((c) => c.status === 'MISSING');
    if (absent(before) || absent(now)) continue;
    const cells = [...before, ...now];
    const base = {
      year: current.year,
      ruleId: link.rule,
      scope: link.scope,
      cells,
      otherYear: previous.year,
    };
    if (cells.every(notPrinted)) continue;
    if (cells.some(notPrinted)) {
      findings.push(
        incomplete(
          base,
          {
            zh: `${link.scopeZh}（与 ${previous.year} 年比较）`,
            en: `${link.scopeEn} (compared with ${previous.year})`,
          },
          (cell) =>
            figureOf(cell.year === previous.year ? previous.figures : current.figures, cell.code).blank ===
            true,
        ),
      );
      continue;
    }
    const expected = sumOf(before);
    const actual = sumOf(now);
    if (expected === actual) continue;
    const terms = before.map((c) => c.value).join(' + ');
    findings.push(
      violated(base, expected, actual, (e, a, d) => ({
        zh: `${link.scopeZh}：${previous.year} 年报告${link.previousYear.zh} = ${terms} = ${e}，而 ${current.year} 年${link.thisYear.zh} = ${a}，相差 ${d}。`,
        en: `${link.scopeEn}: the ${previous.year} report's ${link.previousYear.en} = ${terms} = ${e}, but the ${current.year} report's ${link.thisYear.en} = ${a} (difference ${d}).`,
      })),
    );
  }
  return findings;
}
