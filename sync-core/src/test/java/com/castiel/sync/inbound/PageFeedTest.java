package com.castiel.sync.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.SyncException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PageFeedTest {

    private static final FetchRequest FIRST = new FetchRequest("Account", List.of(), List.of(), null, null, null, 2);

    /** Pages "1".."n": each page's cursor is the next page's number. */
    private static Page page(FetchRequest request, int last) {
        int n = request.cursor() == null ? 1 : Integer.parseInt(request.cursor());
        return n == last ? Page.last(List.of()) : new Page(List.of(), Integer.toString(n + 1), null);
    }

    @Test
    void pages_arrive_in_cursor_order_with_what_after_fetch_made_of_each() {
        List<String> cursors = new ArrayList<>();
        try (PageFeed<String> feed = new PageFeed<>("feed", FIRST, 2, r -> {
            synchronized (cursors) {
                cursors.add(String.valueOf(r.cursor()));
            }
            return page(r, 5);
        }, p -> "after " + p.nextCursor())) {
            List<String> seen = new ArrayList<>();
            while (true) {
                PageFeed.Fetched<String> f = feed.next();
                seen.add(f.prepared());
                if (f.page().done()) {
                    break;
                }
            }
            assertThat(seen).containsExactly("after 2", "after 3", "after 4", "after 5", "after null");
        }
        assertThat(cursors).containsExactly("null", "2", "3", "4", "5");
    }

    @Test
    void the_feed_never_runs_more_than_its_depth_ahead_of_the_consumer() {
        int depth = 2;
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger fetched = new AtomicInteger();
        AtomicInteger worstLead = new AtomicInteger();
        try (PageFeed<Void> feed = new PageFeed<>("feed", FIRST, depth, r -> {
            int lead = fetched.incrementAndGet() - taken.get();
            worstLead.accumulateAndGet(lead, Math::max);
            return page(r, 50);
        }, p -> null)) {
            for (int i = 0; i < 50; i++) {
                feed.next();
                taken.incrementAndGet();
            }
        }
        // depth - 1 pages wait in the feed, one more in the fetcher's hands, and one more is being fetched
        assertThat(worstLead.get()).isBetween(1, depth + 1);
        assertThat(fetched.get()).isEqualTo(50);
    }

    @Test
    void a_failed_fetch_is_thrown_as_it_was_after_the_pages_before_it() {
        SyncException.Transient failure = new SyncException.Transient(ErrorCode.CONNECTION_RESET, "reset on page 3", SyncException.Details.NONE);
        try (PageFeed<Void> feed = new PageFeed<>("feed", FIRST, 2, r -> {
            if ("3".equals(r.cursor())) {
                throw failure;
            }
            return page(r, 10);
        }, p -> null)) {
            assertThat(feed.next().page().nextCursor()).isEqualTo("2");
            assertThat(feed.next().page().nextCursor()).isEqualTo("3");
            assertThatThrownBy(feed::next).isSameAs(failure);
        }
    }

    @Test
    void closing_interrupts_a_fetch_under_way() throws Exception {
        CountDownLatch fetching = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        PageFeed<Void> feed = new PageFeed<>("feed", FIRST, 1, r -> {
            fetching.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            throw new SyncException.Transient(ErrorCode.CONNECTION_RESET, "interrupted", SyncException.Details.NONE);
        }, p -> null);
        fetching.await();

        feed.close();

        assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("the fetch was interrupted").isTrue();
    }
}
