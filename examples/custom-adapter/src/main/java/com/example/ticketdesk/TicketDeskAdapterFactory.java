package com.example.ticketdesk;

import com.castiel.sync.spi.AdapterContext;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.spi.SyncException;
import java.net.URI;
import java.util.Set;

/**
 * ServiceLoader entry point for the Ticket Desk provider (id {@code ticketdesk}), listed in
 * {@code META-INF/services/com.castiel.sync.spi.ProviderAdapterFactory}. Stateless; validates
 * settings and does no I/O.
 *
 * <p>Settings: {@code baseUrl} (required). Credentials: properties {@code client_id} and
 * {@code client_secret} for the client-credentials grant.
 */
public final class TicketDeskAdapterFactory implements ProviderAdapterFactory {

    @Override
    public String id() {
        return TicketDeskAdapter.PROVIDER;
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public Set<Capability> capabilities() {
        return TicketDeskAdapter.CAPABILITIES;
    }

    @Override
    public ProviderAdapter create(AdapterContext context, ProviderSettings settings) {
        String raw = settings.required("baseUrl");
        URI baseUrl;
        try {
            baseUrl = URI.create(raw.trim());
        } catch (IllegalArgumentException e) {
            baseUrl = null;
        }
        if (baseUrl == null || baseUrl.getHost() == null || !("https".equals(baseUrl.getScheme()) || "http".equals(baseUrl.getScheme()))) {
            throw new SyncException.Configuration("setting 'baseUrl' must be an absolute http(s) URL, got '" + raw + "'",
                    SyncException.Details.of(id(), 0, null));
        }
        return new TicketDeskAdapter(context, baseUrl);
    }
}
