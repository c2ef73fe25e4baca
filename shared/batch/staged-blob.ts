// A block blob written once, a block at a time: blocks are staged as they are produced (a few
// in flight, so writing overlaps the next chunk's work and memory stays bounded), and the blob
// appears only when the block list is committed with `If-None-Match: *`. Until then readers see
// nothing, and a second writer's commit is refused, so an output is never written twice. Block
// ids are the block's position: an attempt that crashed left blocks a retry simply restages.
import { createHash } from 'node:crypto';
import type { BlockBlobClient } from '@azure/storage-blob';
import { storageStatus } from '../storage-status.js';

const maxInFlight = 4;

export class StagedBlob {
  private readonly ids: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly hash = createHash('sha256');
  private failure: unknown;
  bytes = 0;

  constructor(private readonly blob: BlockBlobClient) {}

  async append(text: string): Promise<void> {
    if (text === '') return;
    if (this.failure) throw this.failure;
    const body = Buffer.from(text);
    this.hash.update(body);
    this.bytes += body.length;
    const id = Buffer.from(String(this.ids.length).padStart(8, '0')).toString('base64');
    this.ids.push(id);
    const staging: Promise<void> = this.blob
      .stageBlock(id, body, body.length)
      .then(() => undefined)
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.inFlight.delete(staging));
    this.inFlight.add(staging);
    if (this.inFlight.size >= maxInFlight) await Promise.race(this.inFlight);
  }

  /**
   * Commits what was appended; false when a blob is already there (an earlier attempt or a
   * concurrent one finished first), which the caller reads instead of its own.
   */
  async commit(metadata: Record<string, string>): Promise<{ committed: boolean; sha256: string }> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
    const sha256 = this.hash.digest('hex');
    try {
      await this.blob.commitBlockList(this.ids, {
        conditions: { ifNoneMatch: '*' },
        metadata: { ...metadata, sha256 },
        blobHTTPHeaders: { blobContentType: 'text/csv' },
      });
      return { committed: true, sha256 };
    } catch (error) {
      const status = storageStatus(error);
      if (status === 409 || status === 412) return { committed: false, sha256 };
      throw error;
    }
  }
}
