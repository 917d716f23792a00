/**
 * The join address of one host page (console or projector): what the server advertises,
 * asked for once the page shows and again on demand, and the host's pick among several
 * addresses, remembered on this device so the projector tab uses the same one — also a
 * projector tab that is already open when the host picks (the `storage` event, which
 * other tabs of the same origin receive).
 */
import {
  joinAddressesPath,
  parseJoinAddressesReply,
  type JoinAddressesReply,
} from '@backprop/shared/protocol';
import { createSubscriber } from 'svelte/reactivity';
import { chooseJoinAddress, type JoinAddress } from './join-address';

const PICK_KEY = 'bpl:join-address';

export class JoinAddressState {
  advertised: JoinAddressesReply | null = $state.raw(null);
  /** True while the server is being asked. */
  checking = $state(false);
  #preferred: string | null = $state(readPick());
  readonly #pageOrigin: string;
  readonly #fetch: typeof fetch;
  /** Listens for a pick made in another tab while anything shows `current`. */
  readonly #otherTabs = createSubscriber(() => {
    if (typeof window === 'undefined') return;
    const onStorage = (event: StorageEvent) => {
      if (event.key === PICK_KEY || event.key === null) this.#preferred = readPick();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  });
  readonly current: JoinAddress = $derived.by(() => {
    this.#otherTabs();
    return chooseJoinAddress(this.#pageOrigin, this.advertised, this.#preferred);
  });

  constructor(pageOrigin: string = location.origin, fetcher: typeof fetch = (...a) => fetch(...a)) {
    this.#pageOrigin = pageOrigin;
    this.#fetch = fetcher;
  }

  /**
   * Asks the server where students can reach it. A failure keeps what was known: the
   * page's own origin is the fallback, never an error in the way of the lesson.
   */
  async load(code: string, hostToken: string): Promise<void> {
    this.checking = true;
    try {
      const response = await this.#fetch(joinAddressesPath(code), {
        headers: { Authorization: `Bearer ${hostToken}` },
      });
      const reply = response.ok ? parseJoinAddressesReply(await response.json()) : null;
      if (reply) this.advertised = reply;
    } catch {
      // offline or a body that is not JSON: keep what we had
    } finally {
      this.checking = false;
    }
  }

  pick(base: string): void {
    this.#preferred = base;
    try {
      localStorage.setItem(PICK_KEY, base);
    } catch {
      // no storage: the pick lasts as long as the page
    }
  }
}

function readPick(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(PICK_KEY);
  } catch {
    return null;
  }
}
