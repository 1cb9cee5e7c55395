// The signed-in account's numbers, a page at a time, in the gateway's order, kept current
// by this page's own changes and by the gateway's number events (live.ts).
import { useCallback, useEffect, useState } from "preact/hooks";
import { describe } from "./client";
import {
  NumberEventsDocument,
  type NumberEventsSubscription,
  type NumberFieldsFragment,
  NumbersDocument,
  type NumbersQuery,
} from "./gql/graphql";
import { subscribe } from "./live";
import { useLive, useRun } from "./session";

export type PhoneNumber = NumberFieldsFragment;
type Page = NumbersQuery["incomingPhoneNumbers"];
type NumberEvent = NumberEventsSubscription["numberEvents"];

/** Numbers per page. */
const PAGE_SIZE = 10;

export interface NumberList {
  numbers: PhoneNumber[];
  totalCount: number;
  /** The cursor to continue after; null once the last page is in. */
  next: string | null;
  /** The last number of the last page read, while pages remain: numbers that sort after
   * it are left to the page that holds them (keyset cursors continue after a value, so
   * nothing is skipped or shown twice). */
  last: PhoneNumber | null;
  /** Whether each number heard of since the first page is in the account now. Past `last`
   * it is the only record of that, and it is what keeps one change heard twice (this
   * page's purchase, then its PURCHASED event) from counting twice. */
  members: ReadonlyMap<string, boolean>;
}

/** A number's change as the list sees it: whether it was in the account, and is now. */
interface Change {
  number: PhoneNumber;
  before: boolean;
  after: boolean;
}

/** The websocket's state, for the "live" indicator. */
export type Live = { state: "connecting" | "live" | "reconnecting" } | { state: "off"; why: string };

/** The order incomingPhoneNumbers pages in: by phone number, then sid. */
function sortsBefore(a: PhoneNumber, b: PhoneNumber): boolean {
  return a.phoneNumber < b.phoneNumber || (a.phoneNumber === b.phoneNumber && a.sid < b.sid);
}

function withPage(before: NumberList | null, page: Page, after: string | null): NumberList {
  const more = after !== null && before !== null;
  const next = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
  return {
    numbers: more ? [...before.numbers, ...page.nodes] : page.nodes,
    totalCount: page.totalCount,
    next,
    last: next === null ? null : (page.nodes.at(-1) ?? null),
    // A first page starts afresh: it is what the gateway holds now.
    members: more ? before.members : new Map(),
  };
}

/** The list after `change`, which may have been applied already: each change counts once. */
function withChange(list: NumberList, { number, before, after }: Change): NumberList {
  const past = list.last !== null && sortsBefore(list.last, number);
  const others = list.numbers.filter((other) => other.sid !== number.sid);
  // Up to `last`, the list says whether the number was in; past it, what was last heard
  // of the number does, or else the change itself.
  const was = past ? (list.members.get(number.sid) ?? before) : others.length < list.numbers.length;
  let numbers = others;
  if (after && !past) {
    const at = others.findIndex((other) => sortsBefore(number, other));
    numbers = at === -1 ? [...others, number] : [...others.slice(0, at), number, ...others.slice(at)];
  }
  return {
    ...list,
    numbers,
    totalCount: list.totalCount + Number(after) - Number(was),
    members: new Map(list.members).set(number.sid, after),
  };
}

/** What `event` changes in the list of `accountSid`'s numbers; null for a subaccount's. */
function changeOf(event: NumberEvent, accountSid: string): Change | null {
  const here = event.accountSid === accountSid; // where the number is now
  const before =
    event.type === "PURCHASED" ? false : event.type === "TRANSFERRED" ? event.previousAccountSid === accountSid : here;
  const after = here && event.type !== "RELEASED";
  return before || after ? { number: event.number, before, after } : null;
}

export function useNumbers(accountSid: string) {
  const run = useRun();
  const client = useLive();
  const [list, setList] = useState<NumberList | null>(null);
  const [loads, setLoads] = useState(0);
  const [problem, setProblem] = useState<string>();
  const [live, setLive] = useState<Live>({ state: "connecting" });

  const load = useCallback(
    async (after: string | null) => {
      setLoads((count) => count + 1);
      setProblem(undefined);
      try {
        const { incomingPhoneNumbers: page } = await run(NumbersDocument, { first: PAGE_SIZE, after });
        setList((before) => withPage(before, page, after));
      } catch (error) {
        setProblem(describe(error));
      } finally {
        setLoads((count) => count - 1);
      }
    },
    [run],
  );
  const apply = useCallback((change: Change) => setList((before) => before && withChange(before, change)), []);

  useEffect(() => {
    void load(null);
  }, [load]);

  useEffect(() => {
    let connectedBefore = false;
    const listening = [
      client.on("connected", () => {
        setLive({ state: "live" });
        // Nothing is replayed: what changed while the socket was down is in the first
        // page. (The client subscribes again by itself.)
        if (connectedBefore) {
          void load(null);
        }
        connectedBefore = true;
      }),
      client.on("closed", () => setLive((now) => (now.state === "off" ? now : { state: "reconnecting" }))),
    ];
    const unsubscribe = subscribe(
      client,
      NumberEventsDocument,
      {},
      {
        next: ({ numberEvents }) => {
          const change = changeOf(numberEvents, accountSid);
          if (change !== null) {
            apply(change);
          }
        },
        failed: (why) => setLive({ state: "off", why }),
      },
    );
    return () => {
      unsubscribe();
      listening.forEach((stop) => stop());
    };
  }, [client, accountSid, load, apply]);

  return {
    list,
    loading: loads > 0,
    problem,
    live,
    loadMore: () => {
      if (list?.next != null) {
        void load(list.next);
      }
    },
    added: (number: PhoneNumber) => apply({ number, before: false, after: true }),
    changed: (number: PhoneNumber) => apply({ number, before: true, after: true }),
    released: (number: PhoneNumber) => apply({ number, before: true, after: false }),
  };
}
