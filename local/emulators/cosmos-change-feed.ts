// The change feed (latest-version mode) for @vercel/cosmosdb-server, which answers every
// `A-IM: Incremental feed` read with all documents and then 304 for ever. Every write passes
// through one method of the server's item store, so stamping a monotonic `_lsn` there (as
// Cosmos DB's documents carry one) and answering feed reads from it makes the feed incremental:
// the continuation (ETag) is the last LSN seen, as in the service. Deletes do not appear, as
// in latest-version mode. It wraps two internals of the package (1.0.x) at run time, leaving its
// files untouched; a new layout fails loudly at start (the require below). Must run before the
// server's routes load: they capture the handler.
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';

const require = createRequire(import.meta.url);

interface Document {
  _lsn?: number;
  _ts: number;
  [key: string]: unknown;
}
interface Account {
  database(id: string): {
    collection(id: string): { documents: { read(): { result: Document[] } | null } };
  };
}
type Handler = (
  account: Account,
  req: IncomingMessage,
  res: ServerResponse,
  params: { dbId: string; collId: string },
) => Promise<unknown>;

let lastLsn = 0;

export function installChangeFeed(): void {
  const items = require('@vercel/cosmosdb-server/lib/account/items.js') as {
    default: { prototype: { _set(data: Document): Document } };
  };
  const set = items.default.prototype._set;
  items.default.prototype._set = function (data: Document) {
    return set.call(this, { ...data, _lsn: ++lastLsn });
  };
  const readDocuments = require('@vercel/cosmosdb-server/lib/handler/read-documents.js') as {
    default: Handler;
  };
  const readAll = readDocuments.default;
  readDocuments.default = async (account, req, res, params) => {
    if (!req.headers['a-im']) return readAll(account, req, res, params);
    // The server's generic reply path rewrites the ETag of feed reads; this reply is complete.
    delete req.headers['a-im'];
    return changeFeedPage(account, req, res, params);
  };
}

function changeFeedPage(
  account: Account,
  req: IncomingMessage,
  res: ServerResponse,
  { dbId, collId }: { dbId: string; collId: string },
): object {
  const all = account.database(dbId).collection(collId).documents.read();
  if (!all) {
    res.statusCode = 404;
    return { code: 'NotFound', message: `Collection ${dbId}/${collId} does not exist` };
  }
  const ifNoneMatch = req.headers['if-none-match'];
  const since = ifNoneMatch === '*' ? lastLsn : Number(String(ifNoneMatch ?? '0').replace(/"/g, '')) || 0;
  const modifiedSince = req.headers['if-modified-since'];
  const fromTs = modifiedSince ? Date.parse(modifiedSince) / 1000 : 0;
  const limit = Number(req.headers['x-ms-max-item-count'] ?? 0);
  const changed = all.result
    .filter((doc) => (doc._lsn ?? 0) > since && doc._ts >= fromTs)
    .sort((a, b) => (a._lsn ?? 0) - (b._lsn ?? 0));
  const page = limit > 0 ? changed.slice(0, limit) : changed;
  // With nothing newer than the continuation, every later write gets an LSN above lastLsn.
  const etag = page.length > 0 ? page[page.length - 1]!._lsn! : lastLsn;
  res.setHeader('etag', `"${etag}"`);
  if (page.length === 0) {
    res.statusCode = 304;
    return {};
  }
  res.setHeader('x-ms-item-count', String(page.length));
  return { _rid: '', Documents: page, _count: page.length };
}
