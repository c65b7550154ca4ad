// Gives the lab worker a global Buffer before just-bash loads: its browser build still reaches for
// Buffer in a few commands (base64, jq @base64, rg). Imported first by worker.ts for that reason.
import { Buffer } from 'buffer';

const scope = globalThis as { Buffer?: unknown };
scope.Buffer ??= Buffer;
