package com.castiel.sync.http;

import com.castiel.sync.spi.SyncException;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each exchange at DEBUG: method, scheme, host, port and path (never the query string, which
 * may carry tokens), the status or failure code, and the duration. Header values and bodies are
 * never logged, whatever they hold. Thread-safe.
 *
 * <p>Logger: {@code com.castiel.sync.http.RedactingRequestLog}.
 */
public final class RedactingRequestLog implements HttpInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(RedactingRequestLog.class);

    private final Clock clock;

    public RedactingRequestLog(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public HttpReply intercept(HttpCall call, Chain chain) {
        if (!LOG.isDebugEnabled()) {
            return chain.proceed(call);
        }
        long start = clock.millis();
        try {
            HttpReply reply = chain.proceed(call);
            LOG.debug("{} -> {} in {} ms", call.describe(), reply.status(), clock.millis() - start);
            return reply;
        } catch (SyncException failure) {
            String status = failure.httpStatus() > 0 ? Integer.toString(failure.httpStatus()) : "no reply";
            LOG.debug("{} -> {} {} in {} ms", call.describe(), status, failure.code(), clock.millis() - start);
            throw failure;
        }
    }
}
