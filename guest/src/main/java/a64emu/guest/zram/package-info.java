/**
 * zram, the compressed swap device of Android, as Linux 6.1 builds it
 * ({@code drivers/block/zram/}, {@code mm/zsmalloc.c}).
 *
 * <p>{@link a64emu.guest.zram.Zram} is the zram0 block device: a slot per swap offset,
 * same-filled pages kept as one value, other pages compressed with lz4 (or kept whole when
 * they compress to {@code huge_class_size} or more), {@code mem_limit}, and the sysfs text
 * of {@code mm_stat}, {@code io_stat}, {@code stat} and {@code comp_algorithm}.
 * {@link a64emu.guest.zram.ZsPool} is zsmalloc: size classes, zspages of 1 to 4 frames,
 * fullness groups and compaction. The compressed bytes are stored in frames of emulated
 * RAM obtained through {@link a64emu.guest.zram.ZsFrames}, so a device's compressed memory
 * costs the machine what it costs a phone.
 *
 * <h2>For the swap and reclaim code</h2>
 * <ul>
 * <li>swap-out: {@code zram.write(offset, page)}; 0, or -ENOMEM when the pool cannot grow
 *     (no frame, or past mem_limit). 6.1 then resubmits the page as a bio; a second call
 *     is that retry.</li>
 * <li>swap-in: {@code zram.read(offset, page)}.</li>
 * <li>swap slot freed (count reached 0): {@code zram.slotFreeNotify(offset)}.</li>
 * <li>shrinking: {@code zram.compactablePages()} is what zsmalloc's shrinker counts;
 *     {@code zram.compact()} is its scan.</li>
 * </ul>
 */
package a64emu.guest.zram;
