package io.hearth.kernel;

/**
 * The session a {@code %%configure -f} let go: {@code deleted} when the kernel had created it and the gateway deleted
 * it; an {@code attached} one was not the kernel's and keeps running.
 */
public record ReleasedSession(int id, boolean attached, boolean deleted) {}
