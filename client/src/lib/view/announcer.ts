/**
 * How the page announces a text to screen readers without changing the page: the document's
 * ariaNotify (Baseline 2026), which hands the text to assistive technology, if any is on,
 * and costs the page no rendered frame, where a live region's new text costs one (style,
 * layout, paint, commit: ~7–10 ms on a phone ×4, bench:client's traces). Null where the
 * browser has none: the caller then speaks through a polite live region (ui/LiveSummary).
 */
type Notifying = { ariaNotify(announcement: string, options?: { priority?: 'normal' }): void };

export type Announce = (text: string) => void;

export function announcer(
  doc: unknown = typeof document === 'undefined' ? undefined : document,
): Announce | null {
  if (typeof doc !== 'object' || doc === null || !('ariaNotify' in doc)) return null;
  const notifying = doc as Notifying;
  if (typeof notifying.ariaNotify !== 'function') return null;
  // Normal priority: after whatever the reader is saying, as a polite live region would.
  return (text) => notifying.ariaNotify(text, { priority: 'normal' });
}
