// The demo's data: seattle-weather.csv from the vega-datasets package (daily weather 2012–2015).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface WeatherRow {
  date: string;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string;
}

export const WEATHER_LABELS = ['drizzle', 'fog', 'rain', 'snow', 'sun'] as const;
export const WEATHER_FEATURES = ['precipitation', 'temp_max', 'temp_min', 'wind'] as const;

export function seattleWeatherPath(): string {
  const main = createRequire(import.meta.url).resolve('vega-datasets'); // …/vega-datasets/build/index.js
  return join(dirname(main), '..', 'data', 'seattle-weather.csv');
}

/** Every row of the file, in date order. The file has a header and no quoted fields. */
export function loadSeattleWeather(): { header: string; lines: string[]; rows: WeatherRow[] } {
  const text = readFileSync(seattleWeatherPath(), 'utf8').trim().split(/\r?\n/);
  const [header, ...lines] = text;
  const rows = lines.map((line) => {
    const [date, p, tmax, tmin, wind, weather] = line.split(',');
    return { date, precipitation: Number(p), temp_max: Number(tmax), temp_min: Number(tmin), wind: Number(wind), weather };
  });
  return { header, lines, rows };
}
