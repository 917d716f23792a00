/** Reading the Prometheus text format in tests. */

/** The value of one sample of the text format, e.g. `backprop_sockets{role="host"}`. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
