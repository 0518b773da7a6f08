// cli/: the `coffer` command line. This file is the layer's one public door.
export { main, run } from './main.js';
export type { CliIo, TextIn, TextOut } from './command.js';
