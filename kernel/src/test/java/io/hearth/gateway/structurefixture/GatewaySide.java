package io.hearth.gateway.structurefixture;

/**
 * A test class named as if it were the gateway's code, so that KernelStructureTest can prove its rule against the
 * kernel using the gateway's code fails (the real gateway is not on the kernel's class path at all).
 */
public final class GatewaySide {
}
