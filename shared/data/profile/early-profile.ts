// A dataset's profile built in the same pass that validates it, before the column types are
// settled, so the pipeline parses its data twice (validate with profile, then split), not
// three times.
import { typedCell } from '../raw-table.js';
import type { RawChunk } from '../read-chunks.js';
import type { DatasetScan } from '../scan-dataset.js';
import type { FeatureSpec } from '../table.js';
import { ProfileBuilder, type ProfileCell } from './profile-builder.js';
import type { DatasetProfile } from './profile-schema.js';

/**
 * Built on the schema the first chunk of rows points to; kept when the whole data settles on
 * that schema (nearly always), else dropped, and the caller profiles the data again.
 */
export class EarlyProfile {
  private builder: ProfileBuilder | undefined;
  private schema: FeatureSpec[] = [];
  private readonly cells: ProfileCell[] = [];

  constructor(private readonly target: string) {}

  addChunk(chunk: RawChunk, scan: DatasetScan): void {
    if (!this.builder) {
      this.schema = scan.schemaSoFar().schema;
      this.builder = new ProfileBuilder(this.schema, this.target);
    }
    const types = this.schema.map((f) => f.type);
    chunk.rows.forEach((row, slot) => {
      for (let i = 0; i < types.length; i += 1) {
        // The scan parsed every number of the chunk already.
        this.cells[i] =
          types[i] === 'numeric' ? scan.numbers[i]![slot]! : typedCell(types[i]!, row[i] ?? null);
      }
      this.builder!.addRow(this.cells);
    });
  }

  /** The profile, when `schema` (the settled one) is the schema it was built on. */
  finish(schema: readonly FeatureSpec[]): DatasetProfile | undefined {
    const same = JSON.stringify(schema) === JSON.stringify(this.schema);
    return same ? this.builder?.finish() : undefined;
  }
}
