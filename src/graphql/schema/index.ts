import { builder } from '../builder.ts';
import './catalogue.ts';
import './agency.ts';
import './report.ts';
import './errors.ts';
import './import.ts';
import './comparison.ts';
import './findings.ts';
import './validate.ts';

export const schema = builder.toSchema({ sortSchema: false });
