import { readFileSync } from 'node:fs';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { expect, it } from 'vitest';
import { printed } from '../../scripts/schema-text.ts';
import { schema } from '../../src/graphql/schema/index.ts';

it('schema.graphql is committed and up to date (run `npm run schema:print` after an API change)', () => {
  const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
  expect(committed).toBe(printed());
});

it('every type, field, argument and enum value has a description (they are the API documentation)', () => {
  const undocumented: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))
      continue;
    if (!type.description) undocumented.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) undocumented.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues())
        if (!value.description) undocumented.push(`${type.name}.${value.name}`);
    }
  }
  expect(undocumented).toEqual([]);
});

it('no description says a sentence twice, runs one into the next, or says a figure of one template version compares across both', () => {
  const descriptions: [string, string][] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (type.description) descriptions.push([type.name, type.description]);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (field.description) descriptions.push([`${type.name}.${field.name}`, field.description]);
    }
    if (isEnumType(type)) {
      for (const value of type.getValues())
        if (value.description) descriptions.push([`${type.name}.${value.name}`, value.description]);
    }
  }
  const faults = descriptions.flatMap(([where, text]) => {
    // Sentences of three words or more: "Refused: state secret." twice was one such fault.
    const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => s.split(/\s+/).length >= 3);
    const repeated = sentences.filter((s, i) => sentences.indexOf(s) !== i);
    const contradicts = /Comparable across template versions\..*Only in/.test(text);
    // The template-version note run into the sentence before it ("Refused: state secret Comparable …").
    const runOn = /[^.!?)] (Comparable across|Only in V)/.test(text);
    return [
      ...repeated.map((s) => `${where}: "${s}" twice`),
      ...(contradicts ? [`${where}: comparable and only in one version`] : []),
      ...(runOn ? [`${where}: a sentence runs into the template-version note`] : []),
    ];
  });
  expect(faults).toEqual([]);
});
