package com.castiel.sync.inbound;

import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The fetching stage of a scan: a virtual thread of its own fetches the pages one after another,
 * each from the cursor of the page before, runs {@code afterFetch} on each (work that depends on
 * the page alone, such as mapping its records) and hands them on in order, at most
 * {@code depth} pages ahead of the consumer. The provider is asked for the next page while
 * earlier ones are still being prepared and written, so under a request rate limit a page the
 * engine takes longer over does not cost the scan a permit's slot.
 *
 * <p>The feed ends after the last page ({@link Page#done()}) or a failed fetch, whose exception
 * {@link #next()} throws as the fetch threw it. {@link #close()} stops it; a fetch under way is
 * interrupted. It holds at most {@code depth} fetched pages ({@code depth - 1} waiting and one
 * in the fetcher's hands) besides the one being fetched. One consumer at a time.
 *
 * @param <T> what {@code afterFetch} makes of a page
 */
final class PageFeed<T> implements AutoCloseable {

    /** A fetched page and what {@code afterFetch} made of it. */
    record Fetched<T>(Page page, T prepared) {
    }

    /** A failed fetch: a {@link RuntimeException} or an {@link Error}. */
    private record Failed(Throwable failure) {
    }

    /** How often a fetcher waiting to hand a page over looks whether the feed was closed. */
    private static final Duration HAND_OVER_CHECK = Duration.ofMillis(100);

    private final BlockingQueue<Object> ready;
    private final Function<FetchRequest, Page> fetch;
    private final Function<Page, T> afterFetch;
    private final Thread thread;
    private volatile boolean closed;

    PageFeed(String threadName, FetchRequest first, int depth, Function<FetchRequest, Page> fetch, Function<Page, T> afterFetch) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1, was " + depth);
        }
        // A fetched page waits in the fetcher's own hands for the consumer, so the queue holds one fewer.
        this.ready = depth == 1 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(depth - 1);
        this.fetch = fetch;
        this.afterFetch = afterFetch;
        this.thread = Thread.ofVirtual().name(threadName).start(() -> run(first));
    }

    private void run(FetchRequest first) {
        FetchRequest request = first;
        try {
            while (!closed) {
                Page page = fetch.apply(request);
                if (!handOver(new Fetched<>(page, afterFetch.apply(page))) || page.done()) {
                    return;
                }
                request = request.withCursor(page.nextCursor());
            }
        } catch (InterruptedException e) {
            // closed while waiting for room: nothing more is wanted
        } catch (Throwable e) {
            // Any failure, a checked one thrown sneakily by an adapter included, reaches the
            // consumer: a fetcher that died silently would leave it waiting for ever.
            try {
                handOver(new Failed(e instanceof RuntimeException || e instanceof Error ? e
                        : new IllegalStateException("fetching a page failed: " + e, e)));
            } catch (InterruptedException closedMeanwhile) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits for the consumer to take {@code item}, looking at {@link #closed} now and then, so a
     * closed feed ends even when an adapter swallowed the interrupt.
     *
     * @return false when the feed was closed first
     */
    private boolean handOver(Object item) throws InterruptedException {
        while (!ready.offer(item, HAND_OVER_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
            if (closed) {
                return false;
            }
        }
        return true;
    }

    /**
     * The next page in scan order, waiting for its fetch.
     *
     * @throws RuntimeException the fetch's own failure, as it was thrown
     * @throws CancellationException when the waiting thread is interrupted
     */
    @SuppressWarnings("unchecked")
    Fetched<T> next() {
        Object item;
        try {
            item = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the next page");
        }
        if (item instanceof Failed failed) {
            if (failed.failure() instanceof RuntimeException re) {
                throw re;
            }
            throw (Error) failed.failure();
        }
        return (Fetched<T>) item;
    }

    /**
     * Stops fetching: a fetch under way is interrupted and its page dropped. Waits a moment for
     * the fetching thread to end, so a closed feed no longer calls the provider.
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        InboundSync.awaitEnd(thread);
    }
}
