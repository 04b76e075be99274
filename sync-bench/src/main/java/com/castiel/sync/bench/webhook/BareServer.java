package com.castiel.sync.bench.webhook;

import java.net.URI;
import java.util.concurrent.Executors;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The limit scenario 5 is judged against: an HTTP server built exactly like the standalone
 * runtime's (Jetty 12, a {@code QueuedThreadPool} handing requests to virtual threads, one
 * connector on 127.0.0.1) whose only handler reads the whole body and answers 200 with no body.
 * Whatever the webhook endpoint costs beyond this is the engine's.
 */
public final class BareServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private BareServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts on 127.0.0.1, on a free port. */
    public static BareServer start() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("bare-http");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bare-http-", 0).factory()));
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                // read the whole body, as the webhook endpoint does, then answer with no body
                Content.Source.asByteBuffer(request);
                response.setStatus(200);
                response.write(true, BufferUtil.EMPTY_BUFFER, callback);
                return true;
            }
        });
        server.start();
        return new BareServer(server, connector);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/bare");
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
