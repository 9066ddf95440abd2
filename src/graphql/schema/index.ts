import { builder } from '../builder.ts';
import './catalogue.ts';
import './agency.ts';
import './report.ts';
import './errors.ts';
import './import.ts';
import './comparison/metrics.ts';
import './comparison/compare.ts';
import './comparison/series.ts';
import './comparison/ranking.ts';
import './comparison/change.ts';
import './comparison/rollup.ts';
import './comparison/outcome-breakdown.ts';
import './findings.ts';
import './reconciliation.ts';
import './validate.ts';
import './subscriptions.ts';

export const schema = builder.toSchema({ sortSchema: false });
