/** The real reports and the lines of them the metadata tests change. */
import { fileURLToPath } from 'node:url';

export const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
export const HUAIAN = 'huaian-szf-2024.pdftext.txt';
export const HUAIAN_TITLE = '淮安市人民政府\n2024 年政府信息公开工作年度报告';
export const SHANGHAI = 'shanghai-bgt-2019.html';
export const SH_TITLE =
  "<p style='text-align: center;font-weight: bold;'>2019年上海市人民政府办公厅政府信息公开工作年度报告</p>";
export const SH_PERIOD = '本年度报告中所列数据统计期限从2019年1月1日到12月31日止。';
export const CZJ = 'pingtan-czj-2021.pagetxt.txt';
