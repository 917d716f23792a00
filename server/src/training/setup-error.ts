/** A setup the server cannot train (bad architecture for the data, no CSV uploaded, …). */
export class SetupError extends Error {
  override name = 'SetupError';
}
