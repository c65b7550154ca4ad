// `unzip`: lists (-l, -Z with modes), tests (-t) and extracts (-d, -o, -n, -p) archives like Info-ZIP's
// unzip, restoring unix modes, refusing paths that would escape the target folder, and naming what is broken.
import { joinPath } from '../../workspace/fs.ts';
import { CommandUsageError, resolvePath, type LabCommand, type LabCommandContext } from '../command.ts';
import { modeString, readZipEntries, readZipEntry, zipPattern, ZipArchiveError, type ZipEntryInfo } from '../zip-archive.ts';

const USAGE = `Usage: unzip [-options] file[.zip] [list] [-x xlist] [-d exdir]
  -l  list files (short format)       -Z  list files with unix modes (zipinfo style)
  -t  test the archive's data          -p  extract files to the terminal (pipe)
  -d  extract files into exdir         -o  overwrite files without asking
  -n  never overwrite existing files   -q  quiet mode
  -x  exclude the following names
Example: unzip -l app.zip    unzip -o app.zip -d /tmp/check
`;

interface UnzipOptions {
  mode: 'extract' | 'list' | 'zipinfo' | 'test' | 'pipe';
  overwrite: 'ask' | 'always' | 'never';
  quiet: boolean;
  target?: string;
  archive?: string;
  only: RegExp[];
  exclude: RegExp[];
}

function parseUnzipArgs(args: string[]): UnzipOptions {
  const options: UnzipOptions = { mode: 'extract', overwrite: 'ask', quiet: false, only: [], exclude: [] };
  let excluding = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-d') {
      const target = args[++i];
      if (!target) throw new CommandUsageError(`-d needs a folder to extract into, e.g. unzip app.zip -d out\n${USAGE}`, 10);
      options.target = target;
      excluding = false;
      continue;
    }
    if (arg === '-x') {
      excluding = true;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      excluding = false;
      for (const letter of arg.slice(1)) {
        if (letter === 'l' || letter === 'v') options.mode = 'list';
        else if (letter === 'Z') options.mode = 'zipinfo';
        else if (letter === 't') options.mode = 'test';
        else if (letter === 'p') options.mode = 'pipe';
        else if (letter === 'o') options.overwrite = 'always';
        else if (letter === 'n') options.overwrite = 'never';
        else if (letter === 'q') options.quiet = true;
        else if (letter === '1' || letter === 'X') continue;
        else throw new CommandUsageError(`option -${letter} is not supported here\n${USAGE}`, 10);
      }
      continue;
    }
    if (excluding) options.exclude.push(zipPattern(arg));
    else if (options.archive === undefined) options.archive = arg;
    else options.only.push(zipPattern(arg));
  }
  return options;
}

function pad(value: string | number, width: number): string {
  return String(value).padStart(width);
}

function stamp(date: Date): { date: string; time: string } {
  const two = (n: number) => String(n).padStart(2, '0');
  return { date: `${two(date.getMonth() + 1)}-${two(date.getDate())}-${date.getFullYear()}`, time: `${two(date.getHours())}:${two(date.getMinutes())}` };
}

/** Drops `/`, `..` and `.` components so nothing lands outside the target folder (unzip warns about the same). */
function safeName(name: string): { path: string; changed: boolean } {
  const parts = name.split('/').filter((part) => part !== '' && part !== '.' && part !== '..');
  const path = parts.join('/') + (name.endsWith('/') && parts.length ? '/' : '');
  return { path, changed: path !== name };
}

export const unzipCommand: LabCommand = {
  name: 'unzip',
  summary: 'List, test or extract a .zip archive (unzip -l app.zip, unzip app.zip -d dir)',
  async run(args, ctx) {
    if (args.length === 0 || args.includes('-h') || args.includes('--help')) {
      ctx.stdout(USAGE);
      return 0;
    }
    const options = parseUnzipArgs(args);
    if (!options.archive) throw new CommandUsageError(`name the archive to read, e.g. unzip -l app.zip\n${USAGE}`, 10);
    const archive = options.archive;
    const candidates = [archive, `${archive}.zip`, `${archive}.ZIP`];
    let found: string | undefined;
    for (const candidate of candidates) {
      const path = resolvePath(ctx, candidate);
      if ((await ctx.fs.exists(path)) && (await ctx.fs.stat(path)).isFile) {
        found = candidate;
        break;
      }
    }
    if (!found) {
      ctx.stderr(`unzip:  cannot find or open ${candidates.join(', ').replace(/, ([^,]*)$/, ' or $1')}.\n`);
      return 9;
    }
    const bytes = await ctx.fs.readFileBuffer(resolvePath(ctx, found));
    let entries: ZipEntryInfo[];
    try {
      entries = readZipEntries(bytes);
    } catch (error) {
      if (!(error instanceof ZipArchiveError)) throw error;
      ctx.stderr(`Archive:  ${found}\n  ${error.message}\nunzip:  cannot read ${found}: it is not a valid zip archive. Re-create it (e.g. zip -r ${found} .).\n`);
      return 9;
    }
    const selected = entries.filter((e) => (options.only.length === 0 || options.only.some((re) => re.test(e.name))) && !options.exclude.some((re) => re.test(e.name)));
    if (options.only.length > 0 && selected.length === 0) {
      ctx.stderr(`caution: filename not matched:  ${args.find((a) => !a.startsWith('-') && a !== archive) ?? ''}\n`);
      return 11;
    }
    switch (options.mode) {
      case 'list':
        return list(found, selected, ctx);
      case 'zipinfo':
        return zipinfo(found, bytes.length, selected, ctx);
      case 'test':
        return test(found, bytes, selected, ctx, options.quiet);
      case 'pipe':
        for (const entry of selected) ctx.stdout(new TextDecoder().decode(readZipEntry(bytes, entry)));
        return 0;
      default:
        return extract(found, bytes, selected, ctx, options);
    }
  },
};

function list(archive: string, entries: ZipEntryInfo[], ctx: LabCommandContext): number {
  const lines = [`Archive:  ${archive}`, '  Length      Date    Time    Name', '---------  ---------- -----   ----'];
  let total = 0;
  for (const entry of entries) {
    const { date, time } = stamp(entry.modified);
    lines.push(`${pad(entry.size, 9)}  ${date} ${time}   ${entry.name}`);
    total += entry.size;
  }
  lines.push('---------                     -------', `${pad(total, 9)}                     ${entries.length} file${entries.length === 1 ? '' : 's'}`);
  ctx.stdout(`${lines.join('\n')}\n`);
  return 0;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function zipinfo(archive: string, archiveSize: number, entries: ZipEntryInfo[], ctx: LabCommandContext): number {
  const lines = [`Archive:  ${archive}`, `Zip file size: ${archiveSize} bytes, number of entries: ${entries.length}`];
  let size = 0;
  let compressed = 0;
  for (const entry of entries) {
    const mode = entry.unixMode ?? (entry.directory ? 0o040755 : 0o100644);
    const { time } = stamp(entry.modified);
    const m = entry.modified;
    const day = `${String(m.getFullYear() % 100).padStart(2, '0')}-${MONTHS[m.getMonth()]}-${String(m.getDate()).padStart(2, '0')}`;
    lines.push(`${modeString(mode)}  3.0 unx ${pad(entry.size, 8)} bx ${entry.method === 8 ? 'defN' : 'stor'} ${day} ${time} ${entry.name}`);
    size += entry.size;
    compressed += entry.compressedSize;
  }
  const ratio = size ? Math.round(100 - (compressed * 100) / size) : 0;
  lines.push(`${entries.length} file${entries.length === 1 ? '' : 's'}, ${size} bytes uncompressed, ${compressed} bytes compressed:  ${ratio.toFixed(1)}%`);
  ctx.stdout(`${lines.join('\n')}\n`);
  return 0;
}

function test(archive: string, bytes: Uint8Array, entries: ZipEntryInfo[], ctx: LabCommandContext, quiet: boolean): number {
  if (!quiet) ctx.stdout(`Archive:  ${archive}\n`);
  let errors = 0;
  for (const entry of entries) {
    try {
      readZipEntry(bytes, entry);
      if (!quiet) ctx.stdout(`    testing: ${entry.name.padEnd(23)} OK\n`);
    } catch (error) {
      errors++;
      ctx.stdout(`    testing: ${entry.name.padEnd(23)} ${(error as Error).message}\n`);
    }
  }
  if (errors) {
    ctx.stdout(`At least one error was detected in ${archive}.\n`);
    return 2;
  }
  ctx.stdout(`No errors detected in compressed data of ${archive}.\n`);
  return 0;
}

async function extract(archive: string, bytes: Uint8Array, entries: ZipEntryInfo[], ctx: LabCommandContext, options: UnzipOptions): Promise<number> {
  const target = options.target ? resolvePath(ctx, options.target) : ctx.cwd;
  const say = (text: string) => options.quiet || ctx.stdout(text);
  if (options.overwrite === 'ask') {
    for (const entry of entries) {
      const path = joinPath(target, safeName(entry.name).path);
      if (!entry.directory && (await ctx.fs.exists(path))) {
        ctx.stderr(
          `unzip: ${path} already exists. Add -o to overwrite existing files or -n to keep them (this shell cannot ask); nothing was extracted.\n`,
        );
        return 1;
      }
    }
  }
  say(`Archive:  ${archive}\n`);
  await ctx.fs.mkdir(target, { recursive: true });
  let errors = 0;
  for (const entry of entries) {
    const { path: relative, changed } = safeName(entry.name);
    if (changed && relative !== entry.name.replace(/^\.\//, '')) ctx.stderr(`warning:  stripped absolute path spec or "../" from ${entry.name}\n`);
    if (!relative) continue;
    const path = joinPath(target, relative);
    if (entry.directory) {
      await ctx.fs.mkdir(path, { recursive: true });
      say(`   creating: ${path}/\n`);
      continue;
    }
    if (options.overwrite === 'never' && (await ctx.fs.exists(path))) continue;
    let data: Uint8Array;
    try {
      data = readZipEntry(bytes, entry);
    } catch (error) {
      errors++;
      ctx.stderr(`  error:  ${(error as Error).message}\n`);
      continue;
    }
    await ctx.fs.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', { recursive: true });
    await ctx.fs.writeFile(path, data);
    if (entry.unixMode !== undefined) await ctx.fs.chmod(path, entry.unixMode & 0o7777);
    say(`${entry.method === 8 ? '  inflating' : ' extracting'}: ${path}\n`);
  }
  return errors ? 2 : 0;
}
