/**
 * File-system and network errors (Node's errno errors) as one plain sentence, for the CLI's last line
 * and web-mode answers: "cannot open /x/formant.json: part of the path is a file, not a folder".
 */

/** An errno code as a plain sentence (for messages a person reads). */
export function describeErrno(code: string | undefined, e?: unknown): string {
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'ENOTDIR':
      return 'part of the path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EEXIST':
      return 'a file of that name is in the way';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'too many symbolic links (a link loop?)';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open';
    case 'EIO':
      return 'the disk reported an input/output error';
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}

const ACTION_BY_SYSCALL: Record<string, string> = {
  open: 'cannot open',
  read: 'cannot read',
  write: 'cannot write',
  rename: 'cannot write',
  copyfile: 'cannot copy',
  mkdir: 'cannot create the folder',
  scandir: 'cannot list the folder',
  opendir: 'cannot list the folder',
  stat: 'cannot read',
  lstat: 'cannot read',
  access: 'cannot read',
  unlink: 'cannot remove',
  rmdir: 'cannot remove',
  rm: 'cannot remove',
  realpath: 'cannot find',
  spawn: 'cannot run',
};

/** One sentence for a Node errno error (or null when `e` is not one). */
export function errnoMessage(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException & { address?: string; port?: number; dest?: string };
  if (!err || typeof err !== 'object' || typeof err.code !== 'string' || !/^E[A-Z0-9]+$/.test(err.code)) return null;
  if (err.syscall === 'listen' || err.code === 'EADDRINUSE') {
    const where = err.port != null ? `port ${err.port}${err.address ? ` on ${err.address}` : ''}` : 'the port';
    if (err.code === 'EADDRINUSE') return `${where} is already in use (another formant web?); choose another with --port, or --port 0 for a free one`;
    if (err.code === 'EACCES') return `not allowed to listen on ${where}; use a port above 1023`;
    if (err.code === 'EADDRNOTAVAIL') return `cannot listen on ${err.address ?? 'that address'}: this machine has no such address`;
  }
  const action = (err.syscall && ACTION_BY_SYSCALL[err.syscall]) ?? 'cannot use';
  const target = err.syscall === 'rename' && err.dest ? err.dest : err.path;
  return `${action}${target ? ` ${target}` : ''}: ${describeErrno(err.code, err)}`;
}
