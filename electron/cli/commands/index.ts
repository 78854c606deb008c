import type { RegisterCommand } from '../formant';
import { registerInfo } from './info';
import { registerDsp } from './dsp';
import { registerImport } from './import';
import { registerQa } from './qa';
import { registerExport } from './export';
import { registerWeb } from './web';
import { registerAlign } from './align';
import { registerSay } from './say';
import { registerText } from './text';
import { registerTrain } from './train';
import { registerExportVoice } from './exportVoice';
import { registerPhonemize } from './phonemize';

/** One module per command (or family of commands). Add yours here. */
export const commands: RegisterCommand[] = [registerInfo, registerDsp, registerImport, registerQa, registerExport, registerWeb, registerAlign, registerSay, registerText, registerTrain, registerExportVoice, registerPhonemize];
