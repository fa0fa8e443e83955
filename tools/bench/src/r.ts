/**
 * R's forecast package as the yardstick: the same series are written to a temporary CSV and R
 * times its own loop (`system.time` inside R, so R's start-up is not counted). Everything is
 * skipped when `Rscript` or the `forecast` package is missing. R is also a data source: the
 * `transit` section's Chicago L ridership comes from the `modeldata` package.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SeriesInput } from '@retail-forecast/forecasting';

/** True when `Rscript` runs and can load the R package `pkg`. */
function rPackageAvailable(pkg: string): boolean {
  try {
    execFileSync('Rscript', ['-e', `suppressMessages(library(${pkg}))`], {
      stdio: 'ignore',
      timeout: 60_000,
    });
    return true;
  } catch {
    return false;
  }
}

/** True when `Rscript` runs and can load `forecast`. */
export function rForecastAvailable(): boolean {
  return rPackageAvailable('forecast');
}

/** One row per series, equal lengths assumed. */
function writeMatrix(dir: string, series: SeriesInput[]): string {
  const file = path.join(dir, 'series.csv');
  writeFileSync(file, series.map((s) => Array.from(s.y).join(',')).join('\n') + '\n');
  return file;
}

function runR(script: string, series: SeriesInput[], timeoutMs: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-r-'));
  try {
    const csv = writeMatrix(dir, series);
    const file = path.join(dir, 'run.R');
    writeFileSync(file, script.replaceAll('@CSV@', csv.replaceAll('\\', '/')));
    return execFileSync('Rscript', [file], { encoding: 'utf8', timeout: timeoutMs });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds per series of `forecast(ets(ts(y, frequency = 7)), h = 7)`, single-threaded. */
export function rEtsSecondsPerSeries(series: SeriesInput[]): number {
  const out = runR(
    `suppressMessages(library(forecast))
Y <- as.matrix(read.csv("@CSV@", header = FALSE))
t <- system.time(for (i in seq_len(nrow(Y))) forecast(ets(ts(Y[i, ], frequency = 7)), h = 7))
cat(t[["elapsed"]] / nrow(Y), "\\n")
`,
    series,
    30 * 60_000,
  );
  return Number(out.trim());
}

/** Seconds per series of `forecast(auto.arima(ts(y, frequency = 7)), h = 7)`, single-threaded. */
export function rAutoArimaSecondsPerSeries(series: SeriesInput[]): number {
  const out = runR(
    `suppressMessages(library(forecast))
Y <- as.matrix(read.csv("@CSV@", header = FALSE))
t <- system.time(for (i in seq_len(nrow(Y))) forecast(auto.arima(ts(Y[i, ], frequency = 7)), h = 7))
cat(t[["elapsed"]] / nrow(Y), "\\n")
`,
    series,
    30 * 60_000,
  );
  return Number(out.trim());
}

/** True when `Rscript` runs and can load `modeldata` (Debian `r-cran-modeldata`). */
export function rModeldataAvailable(): boolean {
  return rPackageAvailable('modeldata');
}

/**
 * modeldata's `Chicago` set as R stores it, exported by `Rscript` into a temporary directory
 * (removed before returning) and returned as CSV text: header `date,<station>,…` (columns 2..21
 * of the data frame, the 20 L stations), one row per `date` (YYYY-MM-DD), values in thousands of
 * entries exactly as stored — including the set's 14-day lag (a row's station values are those
 * of `date − 14`, see `?Chicago`); the caller shifts them.
 * @throws the `execFileSync` error when R fails (e.g. `modeldata` missing: check
 * `rModeldataAvailable` first)
 */
export function rChicagoStationsCsv(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-chicago-'));
  try {
    const file = path.join(dir, 'chicago.csv').replaceAll('\\', '/');
    execFileSync(
      'Rscript',
      [
        '-e',
        `suppressMessages(library(modeldata)); data(Chicago); ` +
          `x <- as.data.frame(Chicago[, c("date", names(Chicago)[2:21])]); ` +
          `x$date <- format(x$date, "%Y-%m-%d"); ` +
          `write.csv(x, ${JSON.stringify(file)}, row.names = FALSE, quote = FALSE)`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5 * 60_000 },
    );
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The R methods `rBacktestMase` scores: `forecast(<method>(y), h)` or `thetaf(y, h)`. */
export type RMethod = 'auto.arima' | 'ets' | 'thetaf';

/**
 * Mean MASE of an R method under the team protocol (h = 7, origins o = 1..4 cutting the last
 * 7·o days, MASE scaled by the training part's in-sample seasonal-naive MAE, naive when that is
 * 0), as `backtest` computes it, over every fit of `series` (equal lengths). `method`:
 * `auto.arima`, `ets` or `thetaf` (forecast's Theta method, whose answer is already a forecast).
 */
export function rBacktestMase(series: SeriesInput[], method: RMethod): number {
  const fit =
    method === 'thetaf'
      ? 'thetaf(ts(train, frequency = 7), h = 7)'
      : `forecast(${method}(ts(train, frequency = 7)), h = 7)`;
  const out = runR(
    `suppressMessages(library(forecast))
Y <- as.matrix(read.csv("@CSV@", header = FALSE))
scale_of <- function(x) {
  s <- mean(abs(diff(x, lag = 7)))
  if (s > 0) s else mean(abs(diff(x)))
}
m <- c()
for (i in seq_len(nrow(Y))) for (o in 1:4) {
  y <- Y[i, ]
  cut <- length(y) - 7 * o
  train <- y[1:cut]
  f <- ${fit}$mean
  f <- pmax(as.numeric(f), 0)
  m <- c(m, mean(abs(f - y[(cut + 1):(cut + 7)])) / scale_of(train))
}
cat(mean(m[is.finite(m)]), "\\n")
`,
    series,
    60 * 60_000,
  );
  return Number(out.trim());
}
