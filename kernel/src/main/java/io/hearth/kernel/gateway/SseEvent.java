package io.hearth.kernel.gateway;

/** One Server-Sent Event: its {@code id:} (0 when it had none), {@code event:} name and {@code data:} text. */
public record SseEvent(long id, String type, String data) {}
