/**
 * System V IPC and POSIX message queues (Linux {@code ipc/}): one namespace per guest kernel,
 * shared by every guest process of a run. {@link a64emu.guest.ipc.IpcIds} and
 * {@link a64emu.guest.ipc.IpcObject} are {@code ipc/util.c} (ids, keys, {@code ipcperms});
 * {@link a64emu.guest.ipc.Shm} is {@code ipc/shm.c} (segments are shmem objects mapped through
 * the ordinary mm machinery), {@link a64emu.guest.ipc.Sem} {@code ipc/sem.c},
 * {@link a64emu.guest.ipc.Msg} {@code ipc/msg.c} and {@link a64emu.guest.ipc.Mqueue}
 * {@code ipc/mqueue.c}. Results are values or negative errno, as the system calls return them;
 * a call that must wait answers {@link a64emu.guest.ipc.Blocked} and the syscall layer sleeps
 * the thread in the scheduler on the object, to run the call again when it is woken.
 */
package a64emu.guest.ipc;
