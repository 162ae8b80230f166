package io.hearth.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AcceptHeaderTest {

    @Test
    void livyClientsGetJson() {
        assertFalse(AcceptHeader.prefersEventStream(null));
        assertFalse(AcceptHeader.prefersEventStream(""));
        assertFalse(AcceptHeader.prefersEventStream("*/*"));
        assertFalse(AcceptHeader.prefersEventStream("application/json"));
        assertFalse(AcceptHeader.prefersEventStream("application/json, text/event-stream;q=0.5"));
        assertFalse(AcceptHeader.prefersEventStream("text/event-stream;q=0"));
        assertFalse(AcceptHeader.prefersEventStream("text/event-stream;q=zero"));
    }

    @Test
    void aClientThatPrefersTheStreamGetsItWhateverParametersOrWeightsCome() {
        assertTrue(AcceptHeader.prefersEventStream("text/event-stream"));
        assertTrue(AcceptHeader.prefersEventStream("TEXT/Event-Stream; charset=utf-8"));
        assertTrue(AcceptHeader.prefersEventStream("text/event-stream, application/json;q=0.5"));
        assertTrue(AcceptHeader.prefersEventStream("application/json;q=0.9, text/event-stream"));
    }
}
