import { createRng } from '../../nn/random';
import type { Dataset } from '../dataset';

/**
 * Synthetic house prices. A made-up but plausible formula, so a class can compare what
 * the network learned with the truth; the noise keeps the fit from being perfect.
 */
export const HOUSES = {
  rows: 200,
  area: { min: 40, max: 250 },
  bedrooms: { min: 1, max: 6 },
  age: { min: 0, max: 100 },
  base: 50_000,
  perSquareMetre: 2_000,
  perBedroom: 15_000,
  perYearOfAge: -800,
  noiseStd: 15_000,
  /** Prices are clipped here so noise never makes a house free or negative. */
  minPrice: 10_000,
} as const;

/** Added to the seed so the houses do not share a random stream with the weights. */
const HOUSES_SALT = 0x40_05e5;

/** The noise-free price: the formula the description promises. */
export function housePrice(area: number, bedrooms: number, age: number): number {
  return (
    HOUSES.base +
    HOUSES.perSquareMetre * area +
    HOUSES.perBedroom * bedrooms +
    HOUSES.perYearOfAge * age
  );
}

/**
 * `noiseStd` is a parameter only so tests can check the formula exactly with 0.
 * Bedrooms follow the area (plus or minus one), because a 40 m² flat with six
 * bedrooms would look wrong to a class; the correlation is mild enough that the
 * coefficients can still be told apart.
 */
export function housesDataset(seed: number, noiseStd: number = HOUSES.noiseStd): Dataset {
  const rng = createRng(seed + HOUSES_SALT);
  const { rows, area: a, bedrooms: b, age: g } = HOUSES;
  const x = new Float64Array(rows * 3);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const area = randomInt(rng, a.min, a.max);
    const typical = b.min + ((area - a.min) / (a.max - a.min)) * (b.max - b.min - 1);
    const bedrooms = clamp(Math.round(typical + (rng() * 2 - 1)), b.min, b.max);
    const age = randomInt(rng, g.min, g.max);
    const noise = noiseStd * gaussian(rng);
    x[r * 3] = area;
    x[r * 3 + 1] = bedrooms;
    x[r * 3 + 2] = age;
    // Whole dollars: prices in the UI are whole dollars too.
    y[r] = Math.max(HOUSES.minPrice, Math.round(housePrice(area, bedrooms, age) + noise));
  }
  return {
    id: 'houses',
    title: 'House prices',
    description:
      `${rows} made-up houses (seeded random): floor area 40–250 m², 1–6 bedrooms, age 0–100 years. ` +
      'Price = $50,000 + $2,000 per m² + $15,000 per bedroom − $800 per year of age, ' +
      'plus random noise (σ = $15,000), never below $10,000.',
    inputs: [
      { name: 'floor area', unit: 'm²', format: 'number' },
      { name: 'bedrooms', format: 'number' },
      { name: 'age', unit: 'years', format: 'number' },
    ],
    targets: [{ name: 'price', unit: '$', format: 'currency' }],
    rows,
    x,
    y,
  };
}

/** A standard normal draw (Box–Muller). `1 - u` keeps log() away from 0. */
function gaussian(rng: () => number): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** An integer in [min, max], both included. */
function randomInt(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
