/**
 * R's forecast package as the yardstick: the same series are written to a temporary CSV and R
 * times its own loop (`system.time` inside R, so R's start-up is not counted). Everything is
 * skipped when `Rscript` or the `forecast` package is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SeriesInput } from '@retail-forecast/forecasting';

/** True when `Rscript` runs and can load `forecast`. */
export function rForecastAvailable(): boolean {
  try {
    execFileSync('Rscript', ['-e', 'suppressMessages(library(forecast))'], {
      stdio: 'ignore',
      timeout: 60_000,
    });
    return true;
  } catch {
    return false;
  }
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

/**
 * Mean MASE of an R method under the team protocol (h = 7, origins o = 1..4 cutting the last
 * 7·o days, MASE scaled by the training part's in-sample seasonal-naive MAE, naive when that is
 * 0), as `backtest` computes it. `method` is `auto.arima` or `ets`.
 */
export function rBacktestMase(series: SeriesInput[], method: 'auto.arima' | 'ets'): number {
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
  f <- forecast(${method}(ts(train, frequency = 7)), h = 7)$mean
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
