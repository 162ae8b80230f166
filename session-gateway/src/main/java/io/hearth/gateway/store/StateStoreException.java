package io.hearth.gateway.store;

/** The state store could not read or write: the gateway cannot keep its promise of durability for this request. */
public final class StateStoreException extends RuntimeException {
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
