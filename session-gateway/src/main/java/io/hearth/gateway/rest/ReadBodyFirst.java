package io.hearth.gateway.rest;

import io.javalin.http.Context;

/**
 * Reads every request body in full before any handler answers. A refusal sent before the body was read (an unknown
 * session, a wrong method, a wrong Content-Type) would otherwise leave unread bytes on the connection, and Jetty then
 * closes that keep-alive connection under the client, whose next request on it fails with no answer at all.
 */
final class ReadBodyFirst {

    private ReadBodyFirst() {}

    static void read(Context ctx) {
        if (ctx.contentLength() != 0) {
            ctx.bodyAsBytes(); // cached by Javalin: the handlers read the same bytes; over the size cap this is a 413
        }
    }
}
