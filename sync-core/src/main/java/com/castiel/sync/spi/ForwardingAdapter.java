package com.castiel.sync.spi;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.WebhookPayload;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link ProviderAdapter} that hands every call to another one: the base of decorators (counting,
 * sharing, observing) that change a few calls and keep the rest.
 *
 * <p><b>Contract.</b> Every method, {@link #close()} included, forwards to {@link #delegate()}
 * unchanged, so a decorator inherits the delegate's capabilities, threading and error behaviour
 * exactly; a subclass overrides only the calls it changes, and stays thread-safe if the delegate
 * is and its own additions are.
 */
public abstract class ForwardingAdapter implements ProviderAdapter {

    private final ProviderAdapter delegate;

    protected ForwardingAdapter(ProviderAdapter delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The adapter the calls go to. */
    protected final ProviderAdapter delegate() {
        return delegate;
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public Page fetch(FetchRequest request) {
        return delegate.fetch(request);
    }

    @Override
    public Page fetchDeleted(FetchRequest request) {
        return delegate.fetchDeleted(request);
    }

    @Override
    public List<ExternalRecord> fetchByIds(String entity, List<String> ids, List<String> fields) {
        return delegate.fetchByIds(entity, ids, fields);
    }

    @Override
    public WriteResult write(WriteRequest request) {
        return delegate.write(request);
    }

    @Override
    public List<WriteResult> writeBatch(List<WriteRequest> requests) {
        return delegate.writeBatch(requests);
    }

    @Override
    public int maxBatchSize() {
        return delegate.maxBatchSize();
    }

    @Override
    public WebhookVerdict verifyWebhook(WebhookRequest request) {
        return delegate.verifyWebhook(request);
    }

    @Override
    public List<ChangeNotice> parseWebhook(WebhookPayload payload) {
        return delegate.parseWebhook(payload);
    }

    @Override
    public Credentials refreshCredentials(Credentials current) {
        return delegate.refreshCredentials(current);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
