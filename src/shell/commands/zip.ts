// `zip`: Info-ZIP's zip for source bundles (`zip -r app.zip . -x 'node_modules/*'`), keeping unix modes
// so executable .platform hooks stay executable, and updating an existing archive as zip does.
import { joinPath } from '../../workspace/fs.ts';
import { CommandUsageError, resolvePath, type LabCommand, type LabCommandContext } from '../command.ts';
import { readZipEntries, readZipEntry, writeZip, zipPattern, ZipArchiveError, type ZipInputFile } from '../zip-archive.ts';

const USAGE = `Usage: zip [-options] zipfile file ... [-x pattern ...]
  -r   recurse into directories          -j   junk (don't record) directory names
  -q   quiet operation                   -D   do not add directory entries
  -0   store only   -1 .. -9 compress    -x   exclude the following names (wildcards: * ? [..])
  -i   include only the following names
Example: zip -r ../app.zip . -x 'node_modules/*' '.git/*'
`;

interface ZipOptions {
  recurse: boolean;
  quiet: boolean;
  junkPaths: boolean;
  noDirEntries: boolean;
  exclude: RegExp[];
  include: RegExp[];
}

function parseZipArgs(args: string[]): { options: ZipOptions; archive: string; inputs: string[] } {
  const options: ZipOptions = { recurse: false, quiet: false, junkPaths: false, noDirEntries: false, exclude: [], include: [] };
  const positional: string[] = [];
  let list: RegExp[] | null = null;
  for (const arg of args) {
    if (arg === '-x' || arg === '--exclude') {
      list = options.exclude;
      continue;
    }
    if (arg === '-i' || arg === '--include') {
      list = options.include;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      list = null;
      if (arg === '--recurse-paths') options.recurse = true;
      else if (arg === '--quiet') options.quiet = true;
      else if (arg === '--junk-paths') options.junkPaths = true;
      else if (arg.startsWith('--')) throw new CommandUsageError(`option ${arg} is not supported here\n${USAGE}`, 16);
      else {
        for (const letter of arg.slice(1)) {
          if (letter === 'r' || letter === 'R') options.recurse = true;
          else if (letter === 'q') options.quiet = true;
          else if (letter === 'j') options.junkPaths = true;
          else if (letter === 'D') options.noDirEntries = true;
          else if (/[0-9XyvT]/.test(letter)) continue; // levels and attribute flags: accepted, no effect worth modelling
          else throw new CommandUsageError(`option -${letter} is not supported here\n${USAGE}`, 16);
        }
      }
      continue;
    }
    if (list) list.push(zipPattern(arg.replace(/^\.\//, '')));
    else positional.push(arg);
  }
  if (positional.length === 0) throw new CommandUsageError(`missing zipfile name\n${USAGE}`, 16);
  const [archive, ...inputs] = positional;
  return { options, archive: /\.[^/]*$/.test(archive) ? archive : `${archive}.zip`, inputs };
}

/** The name zip records for a path as typed: no leading `./`, `/` or `../` components. */
function storedName(typed: string): string {
  return joinPath(typed).replace(/^\/+/, '').split('/').filter((part) => part !== '..' && part !== '.').join('/');
}

export const zipCommand: LabCommand = {
  name: 'zip',
  summary: 'Package files into a .zip archive (zip -r app.zip . -x "pattern")',
  async run(args, ctx) {
    if (args.length === 0 || args.includes('-h') || args.includes('--help')) {
      ctx.stdout(USAGE);
      return 0;
    }
    const { options, archive, inputs } = parseZipArgs(args);
    const archivePath = resolvePath(ctx, archive);
    if (inputs.length === 0) throw new CommandUsageError(`nothing to add to ${archive}: name files or folders after it, e.g. zip -r ${archive} .`, 12);

    const collected = new Map<string, ZipInputFile>();
    const unmatched: string[] = [];
    const wanted = (name: string) => {
      if (options.exclude.some((re) => re.test(name) || (name.endsWith('/') && re.test(name.slice(0, -1))))) return false;
      if (options.include.length > 0 && !name.endsWith('/') && !options.include.some((re) => re.test(name))) return false;
      return true;
    };
    const add = async (absolute: string, typed: string): Promise<void> => {
      if (absolute === archivePath) return; // zip never adds the archive to itself
      const st = await ctx.fs.stat(absolute);
      let name = storedName(typed);
      if (options.junkPaths) name = name.split('/').pop() ?? name;
      if (st.isDirectory) {
        if (name && !options.noDirEntries && !options.junkPaths && wanted(`${name}/`)) {
          collected.set(`${name}/`, { name: `${name}/`, data: new Uint8Array(0), mode: 0o040000 | (st.mode & 0o7777), mtime: st.mtime, directory: true });
        }
        if (!options.recurse) return;
        for (const child of (await ctx.fs.readdir(absolute)).sort()) {
          await add(joinPath(absolute, child), typed === '.' || typed === './' ? child : `${typed.replace(/\/+$/, '')}/${child}`);
        }
        return;
      }
      if (!name || !wanted(name)) return;
      collected.set(name, { name, data: await ctx.fs.readFileBuffer(absolute), mode: 0o100000 | (st.mode & 0o7777), mtime: st.mtime });
    };
    for (const input of inputs) {
      const absolute = resolvePath(ctx, input);
      if (!(await ctx.fs.exists(absolute))) {
        unmatched.push(input);
        continue;
      }
      await add(absolute, input);
    }
    for (const name of unmatched) ctx.stderr(`\tzip warning: name not matched: ${name}\n`);

    let existing: ZipInputFile[] = [];
    if (await ctx.fs.exists(archivePath)) existing = readExisting(await ctx.fs.readFileBuffer(archivePath), archive);
    if (collected.size === 0) {
      ctx.stderr(`\nzip error: Nothing to do! (${archive})\n`);
      return 12;
    }
    const kept = existing.filter((file) => !collected.has(file.name));
    const replaced = new Set(existing.filter((file) => collected.has(file.name)).map((file) => file.name));
    const bytes = writeZip([...kept, ...collected.values()]);
    await ctx.fs.writeFile(archivePath, bytes);
    if (!options.quiet) report(bytes, collected, replaced, ctx);
    return 0;
  },
};

function readExisting(bytes: Uint8Array, archive: string): ZipInputFile[] {
  try {
    return readZipEntries(bytes).map((entry) => ({
      name: entry.name,
      data: readZipEntry(bytes, entry),
      mode: entry.unixMode ?? (entry.directory ? 0o040755 : 0o100644),
      mtime: entry.modified,
      directory: entry.directory,
    }));
  } catch (error) {
    if (error instanceof ZipArchiveError) {
      throw new CommandUsageError(`${archive} exists but is not a readable zip archive (${error.message}). Remove it (rm ${archive}) and run zip again.`, 3);
    }
    throw error;
  }
}

/** Prints `  adding: name (deflated 42%)` per added entry, reading the sizes back from the archive. */
function report(bytes: Uint8Array, added: Map<string, ZipInputFile>, replaced: Set<string>, ctx: LabCommandContext): void {
  for (const entry of readZipEntries(bytes)) {
    if (!added.has(entry.name)) continue;
    const verb = replaced.has(entry.name) ? 'updating' : '  adding';
    const how = entry.method === 8 && entry.size > 0 ? `deflated ${Math.max(0, Math.round(100 - (entry.compressedSize * 100) / entry.size))}%` : 'stored 0%';
    ctx.stdout(`${verb}: ${entry.name} (${how})\n`);
  }
}
