import type { RegisterCommand } from '../formant';
import { registerInfo } from './info';

/** One module per command (or family of commands). Add yours here. */
export const commands: RegisterCommand[] = [registerInfo];
