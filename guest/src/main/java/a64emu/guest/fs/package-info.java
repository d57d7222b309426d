/**
 * The guest's view of files: {@link a64emu.guest.fs.FileSystem} (root, cwd, confined path lookup)
 * and {@link a64emu.guest.fs.FileTable} (one process's descriptors), whose methods have the shape
 * of the Linux syscalls (value or negative errno) so the syscall handlers only copy guest memory
 * to and from byte arrays. {@link a64emu.guest.fs.OpenFile} is the open file description that
 * file-backed mappings read pages from.
 */
package a64emu.guest.fs;
