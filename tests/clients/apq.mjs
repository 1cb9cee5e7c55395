// Apollo Client's automatic persisted queries against a running gateway
// (tests/test_apollo_client.py starts the gateway, runs this with node and checks the report).
//
//   GATEWAY_URL=http://127.0.0.1:8080 GATEWAY_AUTH=ACxxx:token node apq.mjs
//
// Two clients, each PersistedQueryLink -> HttpLink with a fetch that records every exchange:
//   post: `query Viewer` twice, over POST;
//   get:  useGETForHashedQueries, a query of its own twice, then `query Viewer` once.
// Prints one JSON report on stdout: for each run, its result and the exchanges it caused
// (method, URL, request body, status, response body). It asserts nothing itself: the test does,
// so a failure shows the whole conversation.
import { createHash } from "node:crypto";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

const base = process.env.GATEWAY_URL;
const auth = process.env.GATEWAY_AUTH;
if (!base || !auth) {
  console.error("apq.mjs: set GATEWAY_URL (http://host:port) and GATEWAY_AUTH (sid:token)");
  process.exit(2);
}

const exchanges = [];

/** fetch, recording each request and its answer (the body read from a clone, so Apollo reads its own). */
async function recordingFetch(input, init = {}) {
  const url = typeof input === "string" ? input : input.url;
  const method = (init.method ?? "GET").toUpperCase();
  const body = typeof init.body === "string" ? JSON.parse(init.body) : null;
  const response = await fetch(input, init);
  const text = await response.clone().text();
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = text;
  }
  exchanges.push({ method, url, body, status: response.status, response: answer });
  return response;
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

function client(persistedOptions) {
  const http = new HttpLink({
    uri: `${base}/graphql`,
    headers: { Authorization: `Basic ${Buffer.from(auth).toString("base64")}` },
    fetch: recordingFetch,
  });
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: new PersistedQueryLink({ sha256, ...persistedOptions }).concat(http),
  });
}

const VIEWER = gql`
  query Viewer {
    viewer {
      sid
    }
  }
`;
// Not sent by the POST client, so the GET client meets an unknown hash of its own.
const VIEWER_NAME = gql`
  query ViewerName {
    viewer {
      sid
      friendlyName
    }
  }
`;

const runs = [];

async function run(name, apollo, query) {
  const first = exchanges.length;
  let result;
  try {
    const { data, error } = await apollo.query({ query, fetchPolicy: "network-only" });
    result = { data: data ?? null, error: error ? String(error) : null };
  } catch (error) {
    result = { data: null, error: String(error) };
  }
  runs.push({ name, ...result, exchanges: exchanges.slice(first) });
}

const post = client({});
await run("post-first", post, VIEWER);
await run("post-second", post, VIEWER);

const get = client({ useGETForHashedQueries: true });
await run("get-first", get, VIEWER_NAME);
await run("get-second", get, VIEWER_NAME);
await run("get-known", get, VIEWER);

process.stdout.write(JSON.stringify({ runs }, null, 2) + "\n");
