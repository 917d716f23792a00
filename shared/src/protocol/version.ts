/** Bumped on any incompatible change to events or payloads; checked when a socket connects. */
export const PROTOCOL_VERSION = 6;
