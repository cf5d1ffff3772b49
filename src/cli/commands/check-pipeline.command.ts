import { readFile } from 'node:fs/promises';
import { guardPipeline, parsePipelineText } from '../../shared/guard/pipeline-guard.js';

const USAGE = 'usage: check-pipeline <file> [--shop N] [--show]';

export interface CheckPipelineIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: CheckPipelineIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `check-pipeline <file> [--shop N] [--show]`: run one pipeline, written as
 * JSON `{ collection, pipeline }` or a `db.<collection>.aggregate([...])` line,
 * through the guard and print `accepted` or `rejected: <reason>`, so any corpus
 * can be checked from a shell loop. `--show` also prints the rewritten pipeline.
 *
 * Exit code: 0 accepted, 1 rejected (unreadable text counts as rejected: the
 * llm worker would refuse it too), 2 usage error or unreadable file.
 */
export async function checkPipelineCommand(
  args: string[],
  io: CheckPipelineIo = consoleIo,
): Promise<number> {
  let file: string | undefined;
  let shopId = 1;
  let show = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--shop') {
      const value = Number(args[++i]);
      if (!Number.isSafeInteger(value) || value <= 0) {
        io.err(`--shop needs a positive integer\n${USAGE}`);
        return 2;
      }
      shopId = value;
    } else if (arg === '--show') {
      show = true;
    } else if (file === undefined && !arg.startsWith('--')) {
      file = arg;
    } else {
      io.err(`unexpected argument ${arg}\n${USAGE}`);
      return 2;
    }
  }
  if (file === undefined) {
    io.err(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    io.err(`cannot read ${file}: ${(err as Error).message}`);
    return 2;
  }
  let parsed: unknown;
  try {
    parsed = parsePipelineText(text);
  } catch (err) {
    io.out(`rejected: cannot parse: ${(err as Error).message}`);
    return 1;
  }
  const result = guardPipeline(parsed, shopId);
  if (!result.ok) {
    io.out(`rejected: ${result.reason}${result.path ? ` (at ${result.path})` : ''}`);
    return 1;
  }
  io.out('accepted');
  if (show)
    io.out(JSON.stringify({ collection: result.collection, pipeline: result.pipeline }, null, 2));
  return 0;
}
