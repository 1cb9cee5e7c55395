// The signed-in account's numbers, a page at a time, in the gateway's order.
import { useCallback, useEffect, useState } from "preact/hooks";
import { describe } from "./client";
import { type NumberFieldsFragment, NumbersDocument } from "./gql/graphql";
import { useRun } from "./session";

export type PhoneNumber = NumberFieldsFragment;

/** Numbers per page. */
const PAGE_SIZE = 10;

export interface NumberList {
  numbers: PhoneNumber[];
  totalCount: number;
  /** The cursor to continue after; null once the last page is in. */
  next: string | null;
}

/** The order incomingPhoneNumbers pages in: by phone number, then sid. */
function sortsBefore(a: PhoneNumber, b: PhoneNumber): boolean {
  return a.phoneNumber < b.phoneNumber || (a.phoneNumber === b.phoneNumber && a.sid < b.sid);
}

/**
 * The list with a number just bought in its place. One that sorts after the last number
 * loaded is left out while pages remain: the page that holds it brings it (keyset cursors
 * continue after a value, so nothing is skipped or shown twice).
 */
function withNumber(list: NumberList, number: PhoneNumber): NumberList {
  const index = list.numbers.findIndex((other) => sortsBefore(number, other));
  const totalCount = list.totalCount + 1;
  if (index === -1 && list.next !== null) {
    return { ...list, totalCount };
  }
  const at = index === -1 ? list.numbers.length : index;
  return { ...list, totalCount, numbers: [...list.numbers.slice(0, at), number, ...list.numbers.slice(at)] };
}

function withChanged(list: NumberList, number: PhoneNumber): NumberList {
  return { ...list, numbers: list.numbers.map((other) => (other.sid === number.sid ? number : other)) };
}

function without(list: NumberList, sid: string): NumberList {
  return { ...list, totalCount: list.totalCount - 1, numbers: list.numbers.filter((number) => number.sid !== sid) };
}

export function useNumbers() {
  const run = useRun();
  const [list, setList] = useState<NumberList | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string>();

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setProblem(undefined);
      try {
        const { incomingPhoneNumbers: page } = await run(NumbersDocument, { first: PAGE_SIZE, after });
        setList((before) => ({
          numbers: after !== null && before !== null ? [...before.numbers, ...page.nodes] : page.nodes,
          totalCount: page.totalCount,
          next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
        }));
      } catch (error) {
        setProblem(describe(error));
      } finally {
        setLoading(false);
      }
    },
    [run],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return {
    list,
    loading,
    problem,
    loadMore: () => {
      if (list?.next != null) {
        void load(list.next);
      }
    },
    added: (number: PhoneNumber) => setList((before) => before && withNumber(before, number)),
    changed: (number: PhoneNumber) => setList((before) => before && withChanged(before, number)),
    released: (sid: string) => setList((before) => before && without(before, sid)),
  };
}
