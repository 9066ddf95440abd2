import { agencyNamesById } from '../store/agency-identity.ts';
import type { Db } from '../store/db.ts';

/**
 * The stored name of the agency each report of an import run was filed under, asked once per
 * agency. A report printed under another name of its agency (one merged into it by `agencies
 * merge`, or printed with the places above it left out) is filed under the stored one, and its
 * line named the printed one, as though a new agency had been stored.
 */
export function filedUnder(db: Db | null) {
  const known = new Map<number, string>();
  return {
    /** Learns the names of these agencies, those not asked already. */
    async load(ids: readonly number[]): Promise<void> {
      const missing = [...new Set(ids)].filter((id) => !known.has(id));
      if (!db || missing.length === 0) return;
      for (const [id, name] of await agencyNamesById(db, missing)) known.set(id, name);
    },
    /** The agency's stored name, else the name as printed. */
    name: (agencyId: number, printed: string): string => known.get(agencyId) ?? printed,
  };
}
