/**
 * Type-level checks that a schema's output and the TypeScript type it mirrors are the
 * same, so a field added to one and not the other fails `tsc`.
 */

/** `true` only when A and B are assignable to each other (tuples stop distribution). */
type Assignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Every key path of T, e.g. "setup.inputs.unit" or "stepped:trace.a". Mutual
 * assignability alone misses optional keys (a `unit?` on one side only passes), and an
 * optional key the TS type has but the schema lacks would make strictObject refuse files
 * the server wrote. Union members tagged by `type` or `kind` prefix their keys with it,
 * so a field moved between variants shows too.
 */
type KeyPaths<T> = T extends readonly (infer Item)[]
  ? KeyPaths<Item>
  : T extends object
    ? {
        [K in keyof T & string]-?: `${Tag<T>}${K}` | `${Tag<T>}${K}.${KeyPaths<NonNullable<T[K]>>}`;
      }[keyof T & string]
    : never;
type Tag<T> = T extends { type: infer D extends string }
  ? `${D}:`
  : T extends { kind: infer D extends string }
    ? `${D}:`
    : '';

export type Same<A, B> =
  Assignable<A, B> extends true ? Assignable<KeyPaths<A>, KeyPaths<B>> : false;
