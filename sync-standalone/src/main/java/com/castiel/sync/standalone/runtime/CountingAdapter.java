package com.castiel.sync.standalone.runtime;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.ForwardingAdapter;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Forwards to an adapter and counts the pages and records it reads, telling a listener after
 * each page: the progress line of {@code sync}. Thread-safe.
 */
final class CountingAdapter extends ForwardingAdapter {

    /**
     * Told after each page read, on the thread that read it (a scan reads the next page ahead on
     * its own virtual thread), one page at a time.
     */
    @FunctionalInterface
    interface PageListener {
        void afterPage(long pages, long records);
    }

    private final PageListener listener;
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong records = new AtomicLong();

    CountingAdapter(ProviderAdapter adapter, PageListener listener) {
        super(adapter);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    long pages() {
        return pages.get();
    }

    long records() {
        return records.get();
    }

    private Page counted(Page page) {
        long p = pages.incrementAndGet();
        long r = records.addAndGet(page.records().size());
        listener.afterPage(p, r);
        return page;
    }

    @Override
    public Page fetch(FetchRequest request) {
        return counted(delegate().fetch(request));
    }

    @Override
    public Page fetchDeleted(FetchRequest request) {
        return counted(delegate().fetchDeleted(request));
    }

    @Override
    public List<ExternalRecord> fetchByIds(String entity, List<String> ids, List<String> fields) {
        List<ExternalRecord> found = delegate().fetchByIds(entity, ids, fields);
        records.addAndGet(found.size());
        return found;
    }
}
