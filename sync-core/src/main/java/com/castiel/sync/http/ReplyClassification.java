package com.castiel.sync.http;

import com.castiel.sync.spi.SyncException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies the adapter's {@link HttpErrorClassifier} to every reply and throws the failure it
 * returns. Also captures {@code Retry-After}: when the classifier produced a
 * {@link SyncException.RateLimited} or {@link SyncException.Transient} without a delay but the
 * reply carries a readable {@code Retry-After}, the failure is re-created with that delay, so the
 * retry and rate-limit steps honour it even if the adapter did not read the header.
 *
 * <p>The innermost interceptor of a chain. Thread-safe when the classifier is.
 */
public final class ReplyClassification implements HttpInterceptor {

    private final HttpErrorClassifier classifier;
    private final Clock clock;

    public ReplyClassification(HttpErrorClassifier classifier, Clock clock) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public HttpReply intercept(HttpCall call, Chain chain) {
        HttpReply reply = chain.proceed(call);
        Optional<SyncException> failure = classifier.classify(call, reply);
        if (failure.isPresent()) {
            throw withRetryAfter(failure.get(), reply);
        }
        return reply;
    }

    private SyncException withRetryAfter(SyncException failure, HttpReply reply) {
        SyncException.Details details = SyncException.Details.of(failure.provider(), failure.httpStatus(), failure.providerCode());
        if (failure instanceof SyncException.RateLimited limited && limited.retryAfter().isEmpty()) {
            Optional<Duration> after = RetryAfter.of(reply, clock);
            if (after.isPresent()) {
                return new SyncException.RateLimited(limited.getMessage(), after.get(), details);
            }
        } else if (failure instanceof SyncException.Transient t && t.retryAfter().isEmpty()) {
            Optional<Duration> after = RetryAfter.of(reply, clock);
            if (after.isPresent()) {
                return new SyncException.Transient(t.code(), t.getMessage(), after.get(), details, t.getCause());
            }
        }
        return failure;
    }
}
