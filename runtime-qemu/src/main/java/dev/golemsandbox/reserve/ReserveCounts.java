package dev.golemsandbox.reserve;

/**
 * What a {@link WarmReserve} holds and has done.
 *
 * @param waiting       VMs booting or paused that nobody has taken
 * @param paused        of those, the ones booted and paused
 * @param taken         takes that got a VM
 * @param missed        takes that found none (a cold boot followed)
 * @param failedResumes taken VMs that could not be resumed (a cold boot followed)
 */
public record ReserveCounts(int waiting, int paused, long taken, long missed, long failedResumes) {
}
