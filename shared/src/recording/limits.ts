import { CSV_LIMITS } from '../data/csv';
import { MAX_ABS_PARAMETER, NETWORK_LIMITS } from '../nn/networkChecks';
import { LIMITS } from '../protocol/schemas';
import { NAME_MAX_LENGTH } from '../session/names';
import { MAX_FIT_ROWS, MAX_LOSS_POINTS } from '../session/state';

/**
 * Caps on what an imported recording may hold. Each one is the limit the live server
 * already enforces (so every recording it makes can be imported again) or, where the
 * server has none, a generous bound that keeps a hostile file from costing much more
 * memory than its size. Derived from the source constants so they cannot drift apart.
 */
export const RECORDING_LIMITS = {
  /** A whole file, in UTF-8 bytes. */
  maxBytes: 64 * 1024 * 1024,
  maxLayers: NETWORK_LIMITS.maxLayers,
  maxUnits: NETWORK_LIMITS.maxUnits,
  maxAbsParameter: MAX_ABS_PARAMETER,
  maxBatchSize: LIMITS.maxBatchSize,
  minLearningRate: LIMITS.minLearningRate,
  maxLearningRate: LIMITS.maxLearningRate,
  minSpeed: LIMITS.minSpeed,
  maxSpeed: LIMITS.maxSpeed,
  /** MAX_PARTICIPANTS_CEILING in server/src/limits.ts: the most a room may be configured for. */
  maxParticipants: 1000,
  /** Code points, as normalizeDisplayName and cleanSessionTitle count them. */
  maxName: NAME_MAX_LENGTH,
  maxTitle: LIMITS.maxTitle,
  maxMarkerLabel: LIMITS.maxMarkerLabel,
  /** Weights and biases of the largest network (a frame's flat `params`). */
  maxParameters:
    NETWORK_LIMITS.maxUnits * (NETWORK_LIMITS.maxUnits + 1) * (NETWORK_LIMITS.maxLayers - 1),
  /** CSV datasets attached to one recording (one per setup that used an uploaded file). */
  maxCsvAttachments: 100,
  maxCsvBytes: CSV_LIMITS.maxBytes,
  /** Public participant ids are 12 base64url characters; host:kick accepts up to 64. */
  maxParticipantId: 64,
  maxLossPoints: MAX_LOSS_POINTS,
  maxFitRows: MAX_FIT_ROWS,
  maxDatasetRows: CSV_LIMITS.maxRows,
  maxColumns: CSV_LIMITS.maxColumns,
  /*
   * The CSV parser caps the file (2 MiB), not a column name, and the description lists
   * every column name: these are large enough for any accepted upload.
   */
  maxColumnName: 1000,
  maxDatasetDescription: 40_000,
  maxDatasetTitle: 200,
  maxUnitLabel: 32,
  maxDivergenceReason: 500,
  /**
   * The reducer never thins rateMarks (one per learning-rate change since the last reset),
   * so there is no real limit: this one is far beyond what a class does by hand.
   */
  maxRateMarks: 10_000,
  maxAppVersion: 64,
} as const;
