/**
 * Words for recordings and their timeline markers, shared by the recordings list and the
 * player (unit-tested: nothing here touches the DOM).
 */
import type { TimelineMarker } from '@backprop/shared/recording';
import type { RecordingMeta } from './api';
import { formatClock, lastAtOrBefore } from './clock';
import type { KnownSummary } from './known';

export function summaryOf(meta: RecordingMeta): KnownSummary {
  return {
    createdAt: meta.createdAt,
    endedAt: meta.endedAt,
    durationMs: meta.durationMs,
    steps: meta.steps,
    participants: meta.participants,
    dataset: meta.dataset.title,
    network: networkText(meta.network.layers),
  };
}

/** "2-4-1" for a network with 2 inputs, 4 hidden units and 1 output. */
export function networkText(layers: readonly number[]): string {
  return layers.join('-');
}

/** A date and time in the reader's own locale, e.g. "3 Mar 2025, 14:05". */
export function dateText(ms: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

export interface MarkerStyle {
  /** What the kind is called, for the list and screen readers. */
  name: string;
  /** A one-character symbol drawn on the timeline (never colour alone). */
  symbol: string;
  /** A CSS colour with ≥ 3:1 contrast on white (a non-text mark). */
  color: string;
  /** The label needs the kind's name before it (free text, or not self-explanatory). */
  prefix?: boolean;
}

const STYLES: Record<string, MarkerStyle> = {
  marker: { name: 'Host marker', symbol: '★', color: '#1d4ed8', prefix: true },
  rate: { name: 'Learning rate', symbol: 'α', color: '#7c3aed' },
  vote: { name: 'Vote', symbol: 'V', color: '#0f766e' },
  quiz: { name: 'Quiz', symbol: '?', color: '#a16207' },
  race: { name: 'Race', symbol: 'R', color: '#be185d' },
  diverged: { name: 'Divergence', symbol: '!', color: '#b91c1c' },
  join: { name: 'Joined', symbol: '+', color: '#4b5563' },
  setup: { name: 'New setup', symbol: 'S', color: '#166534', prefix: true },
  reset: { name: 'Reset', symbol: '↺', color: '#166534' },
  weight: { name: 'Weight edit', symbol: 'w', color: '#9a3412' },
  ended: { name: 'End', symbol: '■', color: '#1a1a1a' },
};

const OTHER: MarkerStyle = { name: 'Moment', symbol: '•', color: '#4b5563', prefix: false };

/** The style of a marker kind; kinds this app does not know yet still get one. */
export function markerStyle(kind: string): MarkerStyle {
  return Object.hasOwn(STYLES, kind) ? STYLES[kind]! : OTHER;
}

/** What a marker says: "Host marker: Look at the gradients", "Learning rate 0.5 → 0.1". */
export function markerLabel(marker: TimelineMarker): string {
  const style = markerStyle(marker.kind);
  return style.prefix ? `${style.name}: ${marker.label}` : marker.label;
}

/** The marker with its time from the recording's start: "1:05 Host marker: Look here". */
export function markerText(marker: TimelineMarker, firstT: number): string {
  return `${formatClock(marker.t - firstT)} ${markerLabel(marker)}`;
}

/** The index of the last marker at or before seq (the marker "we are at"), or −1. */
export function currentMarkerIndex(markers: readonly TimelineMarker[], seq: number): number {
  return lastAtOrBefore(markers, seq, (m) => m.seq);
}

/** Where on the timeline (0 … 100 %) a time falls. */
export function percentOf(t: number, firstT: number, lastT: number): number {
  if (lastT <= firstT) return 0;
  return Math.min(100, Math.max(0, ((t - firstT) / (lastT - firstT)) * 100));
}

/** A file name for an export: the title in lowercase words, or the replay id. */
export function exportFileName(title: string, replayId: string, anonymized: boolean): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || replayId}${anonymized ? '-anonymized' : ''}.ndjson`;
}

/** Which marker a crowded spot of the timeline shows: the host's own first, joins last. */
const PRIORITY = ['marker', 'diverged', 'rate', 'vote', 'quiz', 'race', 'setup', 'reset', 'weight'];

function priorityOf(kind: string): number {
  const index = PRIORITY.indexOf(kind);
  return index === -1 ? PRIORITY.length : index;
}

export interface TickGroup {
  /** Position on the timeline, 0 … 100 %. */
  percent: number;
  /** The marker the tick shows and jumps to. */
  lead: TimelineMarker;
  /** All markers of this spot, in time order. */
  markers: TimelineMarker[];
}

/**
 * Markers closer than `minPercent` of the timeline share one tick (which shows the most
 * important of them), so ticks never pile up into an unreadable, unclickable heap.
 */
export function tickGroups(
  markers: readonly TimelineMarker[],
  firstT: number,
  lastT: number,
  minPercent = 2,
  /** Where a time sits (timeline-scale.ts: idle stretches shortened); linear by default. */
  place: (t: number) => number = (t) => percentOf(t, firstT, lastT),
): TickGroup[] {
  const groups: TickGroup[] = [];
  for (const marker of markers) {
    const percent = place(marker.t);
    const last = groups.at(-1);
    if (last && percent - last.percent < minPercent) {
      last.markers.push(marker);
      if (priorityOf(marker.kind) < priorityOf(last.lead.kind)) last.lead = marker;
    } else {
      groups.push({ percent, lead: marker, markers: [marker] });
    }
  }
  return groups;
}
