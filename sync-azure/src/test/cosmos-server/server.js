"use strict";
// Starts @vercel/cosmosdb-server over HTTPS with the test's certificate and the request-handling
// patches the Java SDK (gateway mode) needs. Usage:
//   node server.js --pfx <file.p12> --passphrase <pw> [--host 127.0.0.1] [--port 0]
// Prints "READY <port>" once listening. Each patch names the gap it closes.
const fs = require("fs");
const https = require("https");
const crypto = require("crypto");
const Account = require("@vercel/cosmosdb-server/lib/account").default;
const routes = require("@vercel/cosmosdb-server/lib/routes").default;
const readJson = require("@vercel/cosmosdb-server/lib/json").default;
const batchDocuments = require("@vercel/cosmosdb-server/lib/handler/batch-documents").default;
const readItems = require("@vercel/cosmosdb-server/lib/handler/_read-items").default;

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
}
const host = args.host || "127.0.0.1";
const verbose = args.verbose === "true";

const DOC_PATH = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs\/([^/]+)$/;
const DOCS_PATH = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs$/;
const COLL_PREFIX = /^\/dbs\/([^/]+)\/colls\/([^/]+)/;

function isTrue(req, name) {
  const v = req.headers[name];
  return typeof v === "string" && v.toLowerCase() === "true";
}

function pathname(req) {
  let p = new URL(req.url, "https://localhost").pathname;
  if (p.startsWith("//")) p = p.slice(1);
  while (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return decodeURIComponent(p);
}

function headerPartitionKey(req) {
  const raw = req.headers["x-ms-documentdb-partitionkey"];
  if (!raw || raw === "[{}]" || raw === "[]") return undefined;
  const parsed = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

function partitionValue(collection, doc) {
  const paths = ((collection.read() || {}).partitionKey || {}).paths || ["/id"];
  return paths[0].slice(1).split("/").reduce((o, k) => (o == null ? undefined : o[k]), doc);
}

function notFound(res) {
  res.statusCode = 404;
  return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
}

// Patch 1: the SDK asks for a query plan before every query. Answer with a pass-through plan over
// the one partition key range this server has; the server itself then evaluates TOP, ORDER BY
// and aggregates over the whole (single-range) result.
function queryPlan(body) {
  const text = (body && body.query) || "";
  return {
    partitionedQueryExecutionInfoVersion: 2,
    queryInfo: {
      distinctType: "None",
      top: null,
      offset: null,
      limit: null,
      orderBy: [],
      orderByExpressions: [],
      groupByExpressions: [],
      groupByAliases: [],
      aggregates: [],
      groupByAliasToAggregateType: {},
      rewrittenQuery: "",
      hasSelectValue: /^\s*SELECT\s+(TOP\s+\S+\s+)?VALUE\b/i.test(text),
      dCountInfo: null,
      hasNonStreamingOrderBy: false
    },
    queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
  };
}

// Patch 3: reading a missing document crashed the stock handler (500); answer 404.
function readDocument(account, req, res, [dbId, collId, docId]) {
  const collection = account.database(dbId).collection(collId);
  if (!collection.read()) return notFound(res);
  const pk = headerPartitionKey(req);
  const doc = collection.document(docId, pk === undefined ? docId : pk).read();
  if (!doc || (pk !== undefined && partitionValue(collection, doc) !== pk)) return notFound(res);
  return doc;
}

// Real Cosmos scopes a query with a partition key header to that logical partition; the stock
// handler ran it over the whole container. Patch 6 rides along: queries addressed by partition
// key range id (the SDK's cross-partition path) are allowed without a key in the query text.
async function queryDocuments(account, req, res, [dbId, collId]) {
  return readItems(req, res, "Documents", async ({ continuation, maxItemCount }) => {
    const body = await readJson(req);
    if (!body.query) {
      res.statusCode = 400;
      return { message: "missing query" };
    }
    const collection = account.database(dbId).collection(collId);
    if (!collection.read()) return null;
    const pk = headerPartitionKey(req);
    const items = [...collection.documents._data.values()].map(i => i.read())
      .filter(doc => pk === undefined || partitionValue(collection, doc) === pk);
    try {
      return collection.documents._getQuery(body.query).exec(items, {
        parameters: body.parameters, udf: null, maxItemCount, continuation, compositeIndexes: []
      });
    } catch (err) {
      if (err.badRequest || err.name === "SyntaxError") {
        res.statusCode = 400;
        return { code: "BadRequest", message: err.message };
      }
      throw err;
    }
  });
}

// Patches 4 and 5: the SDK sends a batch's partition key once, in the header, while the server
// reads it per operation; and an atomic batch must apply all or nothing. Touched documents are
// snapshotted and restored when an operation fails; the response is 207 with the failing
// operation's status and 424 for every other operation.
async function batch(account, req, res, params) {
  const raw = await readJson(req);
  const collection = account.database(params[0]).collection(params[1]);
  if (!collection.read()) return notFound(res);
  const pk = headerPartitionKey(req);
  const ops = (Array.isArray(raw) ? raw : []).map(op => {
    const copy = { ...op };
    if (copy.partitionKey === undefined && pk !== undefined) copy.partitionKey = JSON.stringify([pk]);
    if (copy.resourceBody && typeof copy.resourceBody === "object" && partitionValue(collection, copy.resourceBody) !== pk && pk !== undefined) {
      copy.mismatchedKey = true;
    }
    return copy;
  });
  const mismatch = ops.findIndex(op => op.mismatchedKey);
  if (mismatch >= 0) {
    res.statusCode = 400;
    return { code: "BadRequest", message: "operation " + mismatch + " has a partition key that differs from the batch's" };
  }
  const touched = new Map();
  for (const op of ops) {
    const id = op.id || (op.resourceBody && op.resourceBody.id);
    if (id && !touched.has(id)) {
      const current = collection.document(id, pk).read();
      touched.set(id, current ? JSON.parse(JSON.stringify(current)) : null);
    }
  }
  const results = await batchDocuments(account, bodyRequest(req, ops), res, { dbId: params[0], collId: params[1] });
  if (!Array.isArray(results)) return results;
  const failedAt = results.findIndex(r => r.statusCode >= 400);
  if (failedAt < 0 || !isTrue(req, "x-ms-cosmos-batch-atomic")) return results;
  for (const [id, original] of touched) {
    if (collection.document(id, pk).read()) collection.documents.delete(id, pk);
    if (original) collection.documents._set(original);
  }
  res.statusCode = 207;
  return results.map((r, i) => (i === failedAt ? { statusCode: r.statusCode, requestCharge: 0 } : { statusCode: 424, requestCharge: 0 }));
}

// The stock batch handler reads the body from the request stream; hand it the patched operations.
function bodyRequest(req, ops) {
  const { Readable } = require("stream");
  const stream = Readable.from([Buffer.from(JSON.stringify(ops))]);
  stream.headers = req.headers;
  stream.method = req.method;
  stream.url = req.url;
  return stream;
}

function route(req) {
  const p = pathname(req);
  if (req.method === "GET" && DOC_PATH.test(p)) return [readDocument, p.match(DOC_PATH).slice(1)];
  if (req.method === "POST" && DOCS_PATH.test(p)) {
    if (isTrue(req, "x-ms-cosmos-is-query-plan-request")) return ["plan", p.match(DOCS_PATH).slice(1)];
    if (isTrue(req, "x-ms-documentdb-isquery") || req.headers["content-type"] === "application/query+json") {
      return [queryDocuments, p.match(DOCS_PATH).slice(1)];
    }
    if (isTrue(req, "x-ms-cosmos-is-batch-request")) return [batch, p.match(DOCS_PATH).slice(1)];
  }
  const stock = routes(req);
  return stock ? [(account, rq, rs) => stock[1](account, rq, rs, stock[0]), []] : null;
}

// Patch 7: resource ids are base64 and may contain '/', which reaches the server either as is
// (splitting the path) or written as '-' (e.g. /dbs/gAA-AA==/colls/...); the server knows only
// the '/' form and routes on '/'. Such leading segments are resolved to resource names.
function stripRid(rest, items) {
  for (const item of items) {
    const data = item.read();
    if (!data || !data._rid) continue;
    for (const form of [data._rid, data._rid.replace(/\//g, "-")]) {
      if (rest === form || rest.startsWith(form + "/")) return [data.id, rest.slice(form.length)];
    }
  }
  return null;
}

function resolveRids(p) {
  if (!p.startsWith("/dbs/")) return p;
  let rest = p.slice("/dbs/".length);
  const db = stripRid(rest, [...account.databases._data.values()]);
  if (!db) return p;
  let out = "/dbs/" + db[0];
  rest = db[1];
  if (rest.startsWith("/colls/")) {
    const collections = account.database(db[0]).collections;
    const coll = collections ? stripRid(rest.slice("/colls/".length), [...collections._data.values()]) : null;
    if (coll) return out + "/colls/" + coll[0] + coll[1];
  }
  return out + rest;
}

let account;
async function handle(req, res) {
  let body;
  const original = new URL(req.url, "https://localhost");
  const resolved = resolveRids(pathname(req));
  if (resolved !== pathname(req)) req.url = resolved.split("/").map(encodeURIComponent).join("/") + original.search;
  const found = route(req);
  try {
    if (!found) {
      res.statusCode = 400;
      body = { message: "no route" };
    } else if (found[0] === "plan") {
      body = queryPlan(await readJson(req));
    } else {
      body = await found[0](account, req, res, found[1]);
    }
  } catch (err) {
    console.error(err);
    res.statusCode = 500;
    body = { message: err.message };
  }
  if (body === null || body === undefined) body = {};
  if (res.statusCode > 399 && body.message === undefined) body.message = "";
  if (body._etag) res.setHeader("etag", body._etag);
  res.setHeader("content-type", "application/json");
  res.setHeader("x-ms-activity-id", crypto.randomUUID());
  res.setHeader("x-ms-request-charge", "1");
  // Patch 2: the SDK resolves collection-scoped responses by their alternate content path.
  res.setHeader("content-location", "https://" + req.headers.host + req.url);
  // partition key ranges are read as an incremental feed: after the first read nothing changes
  // (one range, never split), which the SDK must see as 304 rather than the same range again
  if (req.headers["a-im"] && res.statusCode === 200) {
    if (req.headers["if-none-match"]) res.statusCode = 304;
    res.setHeader("etag", "1");
  }
  const coll = pathname(req).match(COLL_PREFIX);
  if (coll) res.setHeader("x-ms-alt-content-path", "dbs/" + coll[1] + "/colls/" + coll[2]);
  if (verbose) console.log(req.method, req.url, res.statusCode, JSON.stringify({aim: req.headers["a-im"], inm: req.headers["if-none-match"], pk: req.headers["x-ms-documentdb-partitionkey"]}));
  res.end(JSON.stringify(body));
}

const server = https.createServer({
  pfx: fs.readFileSync(args.pfx),
  passphrase: args.passphrase,
  minVersion: "TLSv1.2"
}, (req, res) => {
  handle(req, res).catch(err => {
    console.error(err);
    if (!res.writableEnded) {
      res.statusCode = 500;
      res.end("{}");
    }
  });
});
server.listen(Number(args.port || 0), host, () => {
  account = new Account(host, server.address().port);
  console.log("READY " + server.address().port);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
