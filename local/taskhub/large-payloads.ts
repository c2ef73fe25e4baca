// JSON values too large for a table property (64 KiB, 32K UTF-16 characters) live in blobs;
// the row keeps `{Name}Blob` with the blob's name instead of `{Name}`.
import type { ContainerClient } from '@azure/storage-blob';

const inlineLimit = 30_000;

export function largePayloads(container: ContainerClient) {
  const prefix = (instanceId: string) => `${encodeURIComponent(instanceId)}/`;
  return {
    async pack(
      instanceId: string,
      rowKey: string,
      values: Record<string, string | null>,
    ): Promise<Record<string, string>> {
      const columns: Record<string, string> = {};
      for (const [name, value] of Object.entries(values)) {
        if (value === null) continue;
        if (value.length <= inlineLimit) {
          columns[name] = value;
          continue;
        }
        const blobName = `${prefix(instanceId)}${encodeURIComponent(rowKey)}/${name}.json`;
        await container.getBlockBlobClient(blobName).upload(value, Buffer.byteLength(value), {
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
        columns[`${name}Blob`] = blobName;
      }
      return columns;
    },
    async unpack(
      row: Record<string, unknown>,
      names: readonly string[],
    ): Promise<Record<string, string | undefined>> {
      const values: Record<string, string | undefined> = {};
      for (const name of names) {
        const inline = row[name];
        const blob = row[`${name}Blob`];
        if (typeof inline === 'string') values[name] = inline;
        else if (typeof blob === 'string')
          values[name] = (await container.getBlockBlobClient(blob).downloadToBuffer()).toString('utf8');
      }
      return values;
    },
    async removeAll(instanceId: string): Promise<void> {
      for await (const blob of container.listBlobsFlat({ prefix: prefix(instanceId) })) {
        await container.deleteBlob(blob.name, { deleteSnapshots: 'include' });
      }
    },
  };
}
