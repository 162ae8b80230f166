package io.hearth.kernel.structurefixture.first;

import io.hearth.gateway.structurefixture.GatewaySide;
import io.hearth.kernel.structurefixture.second.Second;

/**
 * Half of a deliberate package cycle, and a use of "gateway" code, for KernelStructureTest to prove that its rules
 * fail on both.
 */
public final class First {

    /** Reaches into the gateway's (fixture) code. */
    public GatewaySide gateway() {
        return new GatewaySide();
    }

    /** Uses the other half. */
    public Second other() {
        return new Second();
    }
}
