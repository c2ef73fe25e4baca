// rhea's typings leave out the low-level reader and writer; these are the few pieces of its
// codec the emulator uses to re-annotate messages without re-encoding their bare sections.
import rhea from 'rhea';
import type { Typed } from 'rhea';

interface Reader {
  position: number;
  read(): Typed & { descriptor?: Typed };
  remaining(): number;
}

interface Writer {
  write(value: Typed): void;
  toBuffer(): Buffer;
}

interface Codec {
  Reader: new (buffer: Buffer) => Reader;
  Writer: new () => Writer;
  Map32(items: Typed[]): Typed;
  List32(items: Typed[]): Typed;
  Null(): Typed;
  described(descriptor: Typed, value: Typed): Typed;
  unwrap(value: Typed): unknown;
}

export const codec = rhea.types as unknown as Codec & typeof rhea.types;
export type { Typed };
