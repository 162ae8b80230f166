package io.hearth.kernel.execution;

/**
 * The session a {@code %%configure -f} let go: {@code deleted} when the kernel had created it and the gateway deleted
 * it; one {@code leftRunning} was not the kernel's to delete (attached, or kept with {@code %keep}).
 */
public record ReleasedSession(int id, boolean leftRunning, boolean deleted) {}
