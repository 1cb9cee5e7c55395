// A client's use of what the client preset generates, type-checked by tests/test_codegen.py
// (`tsc --strict --noEmit` over this file and generated/). codegen.ts reads this file too:
// the inline graphql(`...`) calls below are documents, typed and hashed into
// persisted-documents.json like the examples/graphql/*.graphql operations, whose typed
// documents (ListNumbersDocument, ...) come from generated/graphql.ts.
//
// Every `@ts-expect-error` line is a wrong usage that must not compile: were a generated
// type `any` (or a scalar unmapped), that line would compile, and tsc fails on an unused
// `@ts-expect-error`.
import type { ResultOf, TypedDocumentNode, VariablesOf } from "@graphql-typed-document-node/core";
import { print } from "graphql";

import { graphql, useFragment, type FragmentType } from "./generated";
import {
  ListNumbersDocument,
  PurchaseNumberDocument,
  ReleaseNumberDocument,
  UpdateNumberDocument,
  type PhoneNumberType,
} from "./generated/graphql";

export const AccountSummaryFragment = graphql(`
  fragment AccountSummary on Account {
    friendlyName
    dateCreated
  }
`);

export const CodegenViewerDocument = graphql(`
  query CodegenViewer {
    viewer {
      sid
      ...AccountSummary
    }
  }
`);

/** A minimal client: POSTs the document and its variables, typed by the document. */
export async function execute<TResult, TVariables>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: TResult; errors?: { message: string }[] };
  if (body.data === undefined) {
    throw new Error(body.errors?.map((error) => error.message).join("; ") ?? `HTTP ${response.status}`);
  }
  return body.data;
}

const local: PhoneNumberType = "LOCAL";
export const page: VariablesOf<typeof ListNumbersDocument> = { first: 10, type: local, phoneNumber: "510" };

/** DateTime is a string on the wire (codegen.ts maps it), so it goes straight into Date. */
export function createdDates(result: ResultOf<typeof ListNumbersDocument>): Date[] {
  return result.incomingPhoneNumbers.edges.map(({ node }) => new Date(node.dateCreated));
}

export function nextCursor(result: ResultOf<typeof ListNumbersDocument>): string | null | undefined {
  const info = result.incomingPhoneNumbers.pageInfo;
  return info.hasNextPage ? info.endCursor : undefined;
}

export async function purchase(url: string, phoneNumber: string): Promise<string> {
  const result = await execute(url, PurchaseNumberDocument, { phoneNumber, voiceUrl: "https://example.com/voice" });
  const payload = result.purchaseNumber;
  const first = payload.userErrors[0];
  if (first !== undefined) {
    const where: string = (first.field ?? []).join(".");
    const code: number | null = first.restcommCode;
    throw new Error(`${where}: ${first.message} (${first.code}, ${code})`);
  }
  return payload.incomingPhoneNumber?.sid ?? "";
}

export async function rename(url: string, sid: string): Promise<string | undefined> {
  const result = await execute(url, UpdateNumberDocument, { sid, friendlyName: "Support" });
  return result.updateNumber.incomingPhoneNumber?.friendlyName;
}

export async function release(url: string, sid: string): Promise<string | null> {
  return (await execute(url, ReleaseNumberDocument, { sid })).releaseNumber.releasedSid;
}

/** The fragment's fields are masked in the query's result until useFragment unmasks them. */
export function viewerSince(result: ResultOf<typeof CodegenViewerDocument>): Date {
  const summary = useFragment(AccountSummaryFragment, result.viewer);
  return new Date(summary.dateCreated);
}

export function summaryName(account: FragmentType<typeof AccountSummaryFragment>): string {
  return useFragment(AccountSummaryFragment, account).friendlyName;
}

export async function wrongUsages(url: string, result: ResultOf<typeof ListNumbersDocument>): Promise<void> {
  // @ts-expect-error first is an Int
  await execute(url, ListNumbersDocument, { first: "ten" });
  // @ts-expect-error phoneNumber is required
  await execute(url, PurchaseNumberDocument, { voiceUrl: "https://example.com/voice" });
  // @ts-expect-error not a PhoneNumberType
  const landline: PhoneNumberType = "LANDLINE";
  const node = result.incomingPhoneNumbers.edges[0]?.node;
  // @ts-expect-error DateTime is a string, not already a Date
  const created: Date | undefined = node?.dateCreated;
  // @ts-expect-error ListNumbers does not select voiceUrl
  const voiceUrl: unknown = node?.voiceUrl;
  const viewer = (await execute(url, CodegenViewerDocument, {})).viewer;
  // @ts-expect-error masked: only useFragment(AccountSummaryFragment, viewer) reads it
  const since: string = viewer.dateCreated;
  void [landline, created, voiceUrl, since];
}
