// Gives the page or worker a global Buffer before the shell's libraries need it: isomorphic-git (git)
// and just-bash's gzip/gunzip call the global Buffer, which browsers lack. Node already has one.
import { Buffer } from 'buffer';

const scope = globalThis as { Buffer?: unknown };
scope.Buffer ??= Buffer;
