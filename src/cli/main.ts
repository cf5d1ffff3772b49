import { checkPipelineCommand } from './commands/check-pipeline.command.js';
import { generateDemoCommand } from './commands/generate-demo.command.js';
import { importCommand } from './commands/import.command.js';
import { seedDemoCommand } from './commands/seed-demo.command.js';

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  import: importCommand,
  'generate-demo': generateDemoCommand,
  'seed-demo': seedDemoCommand,
  'check-pipeline': checkPipelineCommand,
};

const [name, ...args] = process.argv.slice(2);
const command = name ? COMMANDS[name] : undefined;
if (!command) {
  console.error(`usage: npm run cli -- <${Object.keys(COMMANDS).join('|')}> [args]`);
  process.exit(2);
}
process.exitCode = await command(args);
