/**
 * Plain words for a file system error while saving, for the status line. Says what happened and
 * what inkwell does about it; never the stack.
 * @param e the error thrown by node:fs (anything else gets a generic sentence)
 * @param where the file or folder involved, shown to the user
 */
export function describeSaveError(e: unknown, where: string): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const keep = 'The conversation is kept in memory and saving resumes when it can.';
  switch (code) {
    case 'ENOSPC':
      return `The disk is full, so this session is not being saved. ${keep}`;
    case 'EDQUOT':
      return `Your disk quota is used up, so this session is not being saved. ${keep}`;
    case 'EROFS':
      return `${where} is on a read-only disk, so this session is not being saved. ${keep}`;
    case 'EACCES':
    case 'EPERM':
      return `inkwell may not write to ${where}, so this session is not being saved. ${keep}`;
    case 'ENOENT':
    case 'ENOTDIR':
      return `The sessions folder for ${where} is missing or is not a folder, so this session is not being saved. ${keep}`;
    case 'EIO':
      return `The disk reported an error while saving ${where}. ${keep}`;
    case 'EMFILE':
    case 'ENFILE':
      return `Too many files are open to save ${where}. ${keep}`;
    default: {
      const detail = e instanceof Error ? e.message : String(e);
      return `Saving ${where} failed (${detail}). ${keep}`;
    }
  }
}
