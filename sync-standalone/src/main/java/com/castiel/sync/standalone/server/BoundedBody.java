package com.castiel.sync.standalone.server;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body up to a bound. A declared {@code Content-Length} above the bound is refused
 * before a byte is read; a chunked body is read at most one byte past the bound.
 */
final class BoundedBody {

    private BoundedBody() {
    }

    /**
     * @throws BodyTooLargeException when the body is larger than {@code maxBytes}
     * @throws IOException when the client's stream breaks
     */
    static byte[] read(Request request, int maxBytes) throws IOException, BodyTooLargeException {
        long declared = request.getLength();
        if (declared > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw new BodyTooLargeException(maxBytes);
            }
            return body;
        }
    }
}
