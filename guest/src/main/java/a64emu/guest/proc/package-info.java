/**
 * The guest's /proc (Linux fs/proc/): per-process directories with maps, smaps, smaps_rollup,
 * status, statm, cmdline, comm, oom_score and oom_score_adj, the self and thread-self links, and
 * /proc/meminfo. Contents are generated from the real page tables and the frame metadata (page
 * kind, map count, dirty and mlock flags) when a file is opened, in Linux's formats. Files are named
 * after their Linux counterparts: {@link a64emu.guest.proc.TaskMmu} (task_mmu.c),
 * {@link a64emu.guest.proc.Array} (array.c), {@link a64emu.guest.proc.Meminfo} (meminfo.c),
 * {@link a64emu.guest.proc.Base} (base.c), {@link a64emu.guest.proc.ProcFs} (root.c).
 */
package a64emu.guest.proc;
