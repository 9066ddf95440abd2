/**
 * The two template versions and the shape every catalogue label shares. The tables'
 * declarations (table2.ts, table3.ts, table4.ts) say per row and column which versions
 * print it, using the lists below.
 */

export const TEMPLATE_VERSIONS = ['V2019', 'V2021'] as const;
export type TemplateVersion = (typeof TEMPLATE_VERSIONS)[number];

export const TEMPLATE_VERSION_INFO: Record<
  TemplateVersion,
  { issuedBy: string; descriptionEn: string; firstYear: number }
> = {
  V2019: {
    issuedBy: '国办公开办函〔2019〕60号',
    descriptionEn: 'Template issued in 2019, used for report years 2019 and 2020.',
    firstYear: 2019,
  },
  V2021: {
    issuedBy: '国办公开办函〔2021〕30号',
    descriptionEn: 'Template issued in 2021, used for report years 2021 and later.',
    firstYear: 2021,
  },
};

/** The first report year the national template covers (that of its earliest version). */
export const FIRST_TEMPLATE_YEAR = Math.min(
  ...TEMPLATE_VERSIONS.map((v) => TEMPLATE_VERSION_INFO[v].firstYear),
);

/** The latest report year there can be: a year's report is published after the year ends. */
export const latestReportYear = () => new Date().getUTCFullYear();

export const BOTH: readonly TemplateVersion[] = TEMPLATE_VERSIONS;
export const V2019_ONLY: readonly TemplateVersion[] = ['V2019'];
export const V2021_ONLY: readonly TemplateVersion[] = ['V2021'];

export type Unit = 'COUNT' | 'WAN_YUAN';

/** A label as printed in the template, with the spellings seen in real reports. */
export interface Label {
  zh: string;
  /** Other spellings published reports use for the same thing. */
  variants?: readonly string[];
  en: string;
  description: string;
}

/** Every table prints its total as 总计; some reports write 合计 instead. */
export const TOTAL_SPELLINGS = { zh: '总计', variants: ['合计'] } as const satisfies Pick<
  Label,
  'zh' | 'variants'
>;
