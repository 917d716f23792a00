/**
 * A value that tells its readers only when it changes: state written by a pre-effect, not a
 * derived.
 *
 * Why: Svelte marks every derived downstream of a changed state as "maybe dirty", and
 * re-runs such a derived when any of its dependencies changed after its own value last did,
 * even when that dependency is unchanged since. A value read from a session that changes
 * ten times a second in play (a prop, the playing flag, the class focus) would so re-run,
 * at every state, deriveds whose values do not change in play (a unit's label, a column's
 * name). State set to an equal value marks nothing.
 *
 * Call during a component's initialization (it creates an effect).
 */
import { untrack } from 'svelte';

export function steady<T>(
  read: () => T,
  /** When a new value counts as the same (the old one is kept): `===` by default. */
  same: (old: T, next: T) => boolean = Object.is,
): { readonly current: T } {
  let value = $state.raw(untrack(read));
  $effect.pre(() => {
    const next = read();
    if (
      !same(
        untrack(() => value),
        next,
      )
    )
      value = next;
  });
  return {
    get current() {
      return value;
    },
  };
}

/**
 * The newest `read()` at the moments `take()` says so (a panel's turn), else the last one
 * taken; the first is taken at once, so a view first seen off screen still has something to
 * draw. State, like `steady`: what reads it is marked only when a value is taken, and `read`
 * runs only then.
 *
 * Call during a component's initialization (it creates an effect).
 */
export function takenAt<T>(take: () => boolean, read: () => T): { readonly current: T } {
  let value = $state.raw(untrack(read));
  $effect.pre(() => {
    if (take()) value = read();
  });
  return {
    get current() {
      return value;
    },
  };
}
