/**
 * The importCommitted subscription: live dashboards hear of every committed import (from this
 * instance, another one or the CLI) and refresh. Served over SSE by the GraphQL endpoint.
 */
import type { OutputRef } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ImportAnnouncement, ImportOutcome } from '../../import/index.ts';
import { builder } from '../builder.ts';

builder.subscriptionType({
  description:
    'Live announcements, as server-sent events: GET or POST /graphql with `Accept: text/event-stream`. Public unless the server requires tokens for reads.',
  authScopes: { publicRead: true },
});

/**
 * importReport's ImportOutcome enum (defined with the mutation in import.ts), by name: Pothos
 * resolves a type name when the schema is built, and an announcement says what the import did
 * in the mutation's words.
 */
const ImportOutcomeRef = 'ImportOutcome' as unknown as OutputRef<ImportOutcome>;

const ImportCommittedAgency = builder
  .objectRef<Pick<ImportAnnouncement, 'agencyId' | 'agencyName'>>('ImportCommittedAgency')
  .implement({
    description: 'The agency an announced import belongs to; fetch more with `agency(id:)` or `node(id:)`.',
    fields: (t) => ({
      id: t.id({
        description: 'Global id of the agency, the same as `Agency.id`.',
        resolve: (a) => encodeGlobalID('Agency', a.agencyId),
      }),
      name: t.string({
        description:
          'The name as the imported report printed it. `Agency.name` is the stored one, which may be another printed form of it (with or without the province above it).',
        resolve: (a) => a.agencyName,
      }),
    }),
  });

const ImportCommitted = builder.objectRef<ImportAnnouncement>('ImportCommitted').implement({
  description:
    'A report whose current revision changed, announced once its transaction has committed: an import (API, CLI or bulk) that stored something, or `useRevision`. Imports that changed nothing (UNCHANGED) and rejected imports are not announced.',
  fields: (t) => ({
    agency: t.field({
      type: ImportCommittedAgency,
      description: 'The agency of the report.',
      resolve: (a) => a,
    }),
    year: t.exposeInt('year', { description: 'The report year.' }),
    revisionNumber: t.exposeInt('revisionNumber', { description: 'The revision that is current now.' }),
    outcome: t.expose('outcome', {
      type: ImportOutcomeRef,
      description: 'What the import did; `useRevision` is announced as RESTORED.',
    }),
    dataVersion: t.exposeString('dataVersion', {
      description:
        'The data version after the commit, as the response cache keys it: any query answered at this version or a later one includes the import.',
    }),
  }),
});

builder.subscriptionField('importCommitted', (t) =>
  t.field({
    type: ImportCommitted,
    description:
      'One event per committed import, from now on, across every server instance when they share REDIS_URL. Dashboards re-run their queries when one arrives. Example: `curl -N -H "accept: text/event-stream" "http://localhost:4000/graphql?query=subscription{importCommitted{agency{name}year outcome}}"`.',
    subscribe: (_root, _args, ctx) => ctx.importAnnouncements(),
    resolve: (announcement) => announcement,
  }),
);
