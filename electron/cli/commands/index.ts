import type { RegisterCommand } from '../formant';
import { registerInfo } from './info';
import { registerImport } from './import';
import { registerWeb } from './web';

/** One module per command (or family of commands). Add yours here. */
export const commands: RegisterCommand[] = [registerInfo, registerImport, registerWeb];
