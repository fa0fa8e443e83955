import cliProgress from 'cli-progress';

/** Phase progress; a bar on a terminal, nothing elsewhere (EC2 logs stay clean). */
export interface Progress {
  start(phase: string, total: number): void;
  update(done: number): void;
  stop(): void;
}

export const noProgress: Progress = { start() {}, update() {}, stop() {} };

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return noProgress;
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(phase, total) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        {
          format: `${phase.padEnd(12)} [{bar}] {percentage}% | {value}/{total}`,
          stream,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
