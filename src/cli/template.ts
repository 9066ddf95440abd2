import { cellsOfVersion } from '../catalogue/cells.ts';
import { TEMPLATE_VERSION_INFO, TEMPLATE_VERSIONS, type TemplateVersion } from '../catalogue/template.ts';
import { parseCommandArgs } from './usage.ts';

/** Prints the catalogue: the template documentation derived from the same data the parser uses. */
export function printTemplate(args: string[]): number {
  const { values } = parseCommandArgs('template', { args, options: { version: { type: 'string' } } });
  const versions = values.version ? [values.version] : [...TEMPLATE_VERSIONS];
  for (const [i, version] of versions.entries()) {
    if (!TEMPLATE_VERSIONS.includes(version as TemplateVersion)) {
      console.error(`Unknown template version "${version}"; use ${TEMPLATE_VERSIONS.join(' or ')}.`);
      return 2;
    }
    const info = TEMPLATE_VERSION_INFO[version as TemplateVersion];
    const cells = cellsOfVersion(version as TemplateVersion);
    // A blank line parts two versions' tables; before the first it was one more line to skip.
    console.log(
      `${i > 0 ? '\n' : ''}${version} — ${info.issuedBy} — ${info.descriptionEn} (${cells.length} cells)\n`,
    );
    console.log(['code', 'unit', 'label (zh)', 'name (en)', 'compared across versions as'].join('\t'));
    for (const cell of cells) {
      console.log(
        [
          cell.code,
          cell.unit,
          cell.labelZh.join(' / '),
          cell.en,
          cell.canonicalMetric ?? '— (not comparable)',
        ].join('\t'),
      );
    }
  }
  return 0;
}
