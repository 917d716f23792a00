/** Converts the kernel's flat row-major matrices to the network file's weights[l][j][i]. */
export function matrixArrays(matrices: Float64Array[], layers: number[]): number[][][] {
  return matrices.map((flat, l) => {
    const from = layers[l] ?? 0;
    const to = layers[l + 1] ?? 0;
    return Array.from({ length: to }, (_, j) =>
      Array.from(flat.subarray(j * from, (j + 1) * from)),
    );
  });
}

export function layerArrays(vectors: Float64Array[]): number[][] {
  return vectors.map((vector) => Array.from(vector));
}
