package io.hearth.kernel.structurefixture.second;

import io.hearth.kernel.structurefixture.first.First;

/** The other half of the deliberate package cycle (see First). */
public final class Second {

    /** Uses the first half. */
    public First other() {
        return new First();
    }
}
