// `npm run train -- --train F.csv --validation V.csv --spec spec.json --out DIR`: the built-in
// tabular trainer as a pool-node program. Progress goes to stdout; a failure is one line on
// stderr and a non-zero exit (2 for bad input, 1 for anything else) for the pool to report.
import { Command, CommanderError } from 'commander';
import { isPlatformError } from '../../shared/errors.js';
import { runTrainer, trainerVersion, type TrainerArgs } from './run-trainer.js';

const badInput = 2;
const failure = 1;

/** One line, bounded: a reason quotes names from the input, which can be arbitrarily long. */
function fail(message: string, code: number): never {
  const line = message.replace(/\s+/g, ' ').trim();
  process.stderr.write(`error: ${line.length > 1000 ? `${line.slice(0, 1000)}…` : line}\n`);
  process.exit(code);
}

const program = new Command('train')
  .description('Train a tabular model and export it as ONNX (DESIGN.md section 4).')
  .version(trainerVersion)
  .requiredOption('--train <file>', 'training CSV (header row required)')
  .requiredOption('--validation <file>', 'validation CSV: early stopping and the parity check')
  .requiredOption('--spec <file>', 'spec.json: task, target, algorithm, features, params')
  .requiredOption('--out <dir>', 'folder for model.onnx and metrics.json')
  .exitOverride()
  .configureOutput({ writeErr: () => undefined });

try {
  program.parse(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) process.exit(0);
    fail(error.message.replace(/^error: /, ''), badInput);
  }
  throw error;
}

try {
  await runTrainer(program.opts<TrainerArgs>(), (line) => console.log(line));
} catch (error) {
  if (isPlatformError(error)) fail(error.message, error.status < 500 ? badInput : failure);
  fail(error instanceof Error ? error.message : String(error), failure);
}
