package com.castiel.sync.azure.testing;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLException;

/** HTTPS plumbing for the in-process fakes: servers on 127.0.0.1 and Azure clients that trust them. */
public final class LocalHttps {

    private LocalHttps() {
    }

    /** An HTTPS server on 127.0.0.1 and a random free port, presenting the {@link TestCertificate}; not started. */
    public static HttpsServer server() {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(TestCertificate.get().serverContext()));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL of a server made by {@link #server()}. */
    public static String baseUrl(HttpsServer server) {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** An Azure SDK HTTP client (Netty) that trusts only the {@link TestCertificate}. */
    public static HttpClient azureHttpClient() {
        try {
            SslContext ssl = SslContextBuilder.forClient().trustManager(TestCertificate.get().trustManagers()).build();
            reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl));
            return new NettyAsyncHttpClientBuilder(netty).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }
}
