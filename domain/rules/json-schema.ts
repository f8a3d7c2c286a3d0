import { z } from 'zod';
import { rulesDocumentSchema } from './schema.js';

/** Where the published schema lives in the repository; a test keeps the file equal to this output. */
export const rulesJsonSchemaPath = 'docs/rules.schema.json';

/** The JSON Schema (draft 2020-12) of a rules document, generated from the zod schema. */
export function rulesJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(rulesDocumentSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...generated,
    $id: 'https://caisse.example/schemas/rules.schema.json',
    title: 'caisse-rules-v1: conventionnement of a Caisse Commune de l’Alimentation',
  };
}

export function rulesJsonSchemaText(): string {
  return `${JSON.stringify(rulesJsonSchema(), null, 2)}\n`;
}
