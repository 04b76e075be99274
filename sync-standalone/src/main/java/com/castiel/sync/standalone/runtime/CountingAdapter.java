package com.castiel.sync.standalone.runtime;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ChangeNotice;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.spi.WebhookVerdict;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Forwards to an adapter and counts the pages and records it reads, telling a listener after
 * each page: the progress line of {@code sync}. Thread-safe.
 */
final class CountingAdapter implements ProviderAdapter {

    /** Told after each page read; called on the syncing thread. */
    @FunctionalInterface
    interface PageListener {
        void afterPage(long pages, long records);
    }

    private final ProviderAdapter adapter;
    private final PageListener listener;
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong records = new AtomicLong();

    CountingAdapter(ProviderAdapter adapter, PageListener listener) {
        this.adapter = Objects.requireNonNull(adapter, "adapter");
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
    public Set<Capability> capabilities() {
        return adapter.capabilities();
    }

    @Override
    public Page fetch(FetchRequest request) {
        return counted(adapter.fetch(request));
    }

    @Override
    public Page fetchDeleted(FetchRequest request) {
        return counted(adapter.fetchDeleted(request));
    }

    @Override
    public List<ExternalRecord> fetchByIds(String entity, List<String> ids, List<String> fields) {
        List<ExternalRecord> found = adapter.fetchByIds(entity, ids, fields);
        records.addAndGet(found.size());
        return found;
    }

    @Override
    public WriteResult write(WriteRequest request) {
        return adapter.write(request);
    }

    @Override
    public List<WriteResult> writeBatch(List<WriteRequest> requests) {
        return adapter.writeBatch(requests);
    }

    @Override
    public int maxBatchSize() {
        return adapter.maxBatchSize();
    }

    @Override
    public WebhookVerdict verifyWebhook(WebhookRequest request) {
        return adapter.verifyWebhook(request);
    }

    @Override
    public List<ChangeNotice> parseWebhook(WebhookPayload payload) {
        return adapter.parseWebhook(payload);
    }

    @Override
    public Credentials refreshCredentials(Credentials current) {
        return adapter.refreshCredentials(current);
    }

    @Override
    public void close() {
        adapter.close();
    }
}
