/**
 * The last line of defence for "nothing non-finite is ever serialized": JSON would turn
 * NaN and ±Infinity into null and every client would reduce a different state. Training
 * is built so this never fires; if it does, the event is refused before it is recorded.
 * One walk for the room and the recording's serializer (shared/src/recording/json.ts).
 */
export { findNonFinite } from '@backprop/shared/recording';
