package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.spi.ChangeNotice;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.spi.WebhookVerdict;
import com.castiel.sync.testkit.fake.WebhookDelivery;
import com.castiel.sync.testkit.fake.salesforce.OutboundResult;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceOutboundMessageTest {

    private static final List<String> FIELDS = List.of("Name", "Industry", "SystemModstamp");

    private final SalesforceHarness h = new SalesforceHarness();
    private final ProviderAdapter adapter = h.open();
    private HttpServer listener;

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.stop(0);
        }
        adapter.close();
        h.close();
    }

    private WebhookVerdict verify(WebhookDelivery delivery) {
        return adapter.verifyWebhook(delivery.toRequest(h.clock.instant()));
    }

    private List<ChangeNotice> parse(WebhookDelivery delivery) {
        return adapter.parseWebhook(new WebhookPayload(delivery.headers().get("content-type"), delivery.bodyText(), Map.of(),
                h.clock.instant()));
    }

    private static WebhookDelivery withBody(WebhookDelivery d, String body) {
        return d.withBody(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_message_from_the_integrations_org_is_acknowledged() {
        h.fake.seedAccountsAndContacts(2, 1L);

        WebhookVerdict verdict = verify(h.fake.outboundMessage("Account", h.fake.ids("Account"), FIELDS));

        assertThat(verdict).isInstanceOfSatisfying(WebhookVerdict.Accept.class, a -> {
            assertThat(a.response().status()).isEqualTo(200);
            assertThat(a.response().contentType()).startsWith("text/xml");
            assertThat(new String(a.response().body(), StandardCharsets.UTF_8))
                    .contains("<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack>");
        });
    }

    @Test
    void a_message_from_another_org_is_rejected_as_forged() {
        h.fake.seedAccountsAndContacts(1, 1L);
        WebhookDelivery real = h.fake.outboundMessage("Account", h.fake.ids("Account"), FIELDS);
        WebhookDelivery forged = withBody(real, real.bodyText().replace(h.fake.orgId(), "00D000000000001AAA"));

        assertThat(verify(forged)).isInstanceOfSatisfying(WebhookVerdict.Reject.class, r -> assertThat(r.status()).isEqualTo(401));
    }

    @Test
    void the_org_id_may_be_configured_with_15_characters() {
        h.fake.seedAccountsAndContacts(1, 1L);
        Map<String, String> settings = new HashMap<>(h.settings());
        settings.put("orgId", h.fake.orgId().substring(0, 15));
        try (ProviderAdapter short15 = h.open(settings, h.refreshTokenCredentials())) {
            assertThat(short15.verifyWebhook(h.fake.outboundMessage("Account", h.fake.ids("Account"), FIELDS).toRequest(h.clock.instant())))
                    .isInstanceOf(WebhookVerdict.Accept.class);
        }
    }

    @Test
    void notices_carry_the_records_when_the_message_includes_system_modstamp() {
        h.fake.seedAccountsAndContacts(2, 1L);
        List<String> ids = h.fake.ids("Account");

        List<ChangeNotice> notices = parse(h.fake.outboundMessage("Account", ids, FIELDS));

        assertThat(notices).hasSize(2).allSatisfy(n -> {
            assertThat(n.entity()).isEqualTo("Account");
            assertThat(n.deleted()).isFalse();
            assertThat(n.notificationId()).startsWith("04l");
            assertThat(n.record()).isNotNull();
            assertThat(n.record().fields().get("Name").asText()).isEqualTo(h.fake.record("Account", n.externalId()).orElseThrow()
                    .get("Name").asText());
            assertThat(n.record().modifiedAt()).isEqualTo(SalesforceHarness.START);
            assertThat(n.occurredAt()).isEqualTo(SalesforceHarness.START);
        });
        assertThat(notices).extracting(ChangeNotice::externalId).containsExactlyElementsOf(ids);
    }

    @Test
    void without_system_modstamp_the_notice_asks_for_a_refetch() {
        h.fake.seedAccountsAndContacts(1, 1L);

        List<ChangeNotice> notices = parse(h.fake.outboundMessage("Account", h.fake.ids("Account"), List.of("Name")));

        assertThat(notices).singleElement().satisfies(n -> assertThat(n.record()).isNull());
    }

    @Test
    void null_fields_arrive_as_json_null() {
        String id = h.fake.create("Account", SyncJson.object().put("Name", "No industry"));

        List<ChangeNotice> notices = parse(h.fake.outboundMessage("Account", List.of(id), FIELDS));

        assertThat(notices.get(0).record().fields().get("Industry").isNull()).isTrue();
    }

    @Test
    void a_notification_delivered_twice_in_one_message_becomes_one_notice() {
        h.fake.seedAccountsAndContacts(1, 1L);
        String body = h.fake.outboundMessage("Account", h.fake.ids("Account"), FIELDS).bodyText();
        int start = body.indexOf("<Notification>");
        int end = body.indexOf("</Notification>") + "</Notification>".length();
        String twice = body.substring(0, end) + body.substring(start, end) + body.substring(end);

        assertThat(parse(withBody(h.fake.outboundMessage("Account", h.fake.ids("Account"), FIELDS), twice))).hasSize(1);
    }

    @Test
    void more_than_100_notifications_are_rejected_as_malformed() {
        h.fake.seedAccountsAndContacts(1, 1L);
        WebhookDelivery one = h.fake.outboundMessage("Account", h.fake.ids("Account"), FIELDS);
        String body = one.bodyText();
        int start = body.indexOf("<Notification>");
        int end = body.indexOf("</Notification>") + "</Notification>".length();
        StringBuilder many = new StringBuilder(body.substring(0, start));
        for (int i = 0; i < 101; i++) {
            many.append(body.substring(start, end).replaceFirst("<Id>04l[A-Za-z0-9]+</Id>", "<Id>04l" + String.format("%015d", i) + "</Id>"));
        }
        many.append(body.substring(end));

        assertThat(verify(withBody(one, many.toString()))).isInstanceOfSatisfying(WebhookVerdict.Reject.class,
                r -> assertThat(r.status()).isEqualTo(400));
    }

    @Test
    void a_body_with_a_doctype_is_rejected_before_any_entity_is_expanded() {
        h.fake.seedAccountsAndContacts(1, 1L);
        WebhookDelivery real = h.fake.outboundMessage("Account", h.fake.ids("Account"), FIELDS);
        String xxe = real.bodyText().replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>");

        assertThat(verify(withBody(real, xxe))).isInstanceOfSatisfying(WebhookVerdict.Reject.class,
                r -> assertThat(r.status()).isEqualTo(400));
    }

    @Test
    void something_that_is_not_an_outbound_message_is_rejected_and_cannot_be_parsed() {
        WebhookRequest json = new WebhookRequest("POST", Map.of(), Map.of(), "{\"hello\":1}".getBytes(StandardCharsets.UTF_8),
                h.clock.instant());

        assertThat(adapter.verifyWebhook(json)).isInstanceOfSatisfying(WebhookVerdict.Reject.class, r -> assertThat(r.status()).isEqualTo(400));
        assertThat(adapter.verifyWebhook(new WebhookRequest("GET", Map.of(), Map.of(), null, h.clock.instant())))
                .isInstanceOf(WebhookVerdict.Reject.class);
        assertThatThrownBy(() -> adapter.parseWebhook(new WebhookPayload("application/json", "{}", Map.of(), h.clock.instant())))
                .isInstanceOf(SyncException.Validation.class);
    }

    @Test
    void without_an_org_id_setting_messages_cannot_be_verified() {
        Map<String, String> settings = new HashMap<>(h.settings());
        settings.remove("orgId");
        h.fake.seedAccountsAndContacts(1, 1L);
        try (ProviderAdapter noOrg = h.open(settings, h.refreshTokenCredentials())) {
            assertThatThrownBy(() -> noOrg.verifyWebhook(h.fake.outboundMessage("Account", h.fake.ids("Account"), FIELDS)
                    .toRequest(h.clock.instant()))).isInstanceOf(SyncException.Configuration.class).hasMessageContaining("orgId");
        }
    }

    @Test
    void the_fake_org_delivers_change_rules_over_http_and_keeps_what_was_not_acknowledged() throws IOException {
        List<String> received = new CopyOnWriteArrayList<>();
        URI endpoint = listen(received);
        h.fake.sendOutboundMessagesOnChange("Account", FIELDS);
        String id = h.fake.create("Account", SyncJson.object().put("Name", "Watched"));
        h.fake.update("Account", id, SyncJson.object().put("Industry", "Energy"));

        OutboundResult delivered = h.fake.deliverOutboundMessages(endpoint);

        assertThat(delivered.acknowledged()).isEqualTo(2);
        assertThat(h.fake.pendingOutboundNotifications()).isZero();
        List<ChangeNotice> notices = new ArrayList<>();
        for (String body : received) {
            notices.addAll(adapter.parseWebhook(new WebhookPayload("text/xml", body, Map.of(), h.clock.instant())));
        }
        assertThat(notices).extracting(ChangeNotice::externalId).containsOnly(id);
        assertThat(notices.get(0).record().fields().get("Industry").asText()).as("messages carry the latest data").isEqualTo("Energy");

        Map<String, String> otherOrg = new HashMap<>(h.settings());
        otherOrg.put("orgId", "00D000000000001AAA");
        try (ProviderAdapter wrong = h.open(otherOrg, h.refreshTokenCredentials())) {
            listener.stop(0);
            URI rejecting = listenWith(wrong, new CopyOnWriteArrayList<>());
            h.fake.update("Account", id, SyncJson.object().put("Industry", "Retail"));
            OutboundResult refused = h.fake.deliverOutboundMessages(rejecting);
            assertThat(refused.unacknowledged()).isEqualTo(1);
            assertThat(refused.statuses()).containsExactly(401);
            assertThat(h.fake.pendingOutboundNotifications()).isEqualTo(1);
        }
    }

    @Test
    void a_message_sent_to_a_listener_is_acknowledged_end_to_end() throws IOException {
        h.fake.seedAccountsAndContacts(3, 1L);
        URI endpoint = listen(new CopyOnWriteArrayList<>());

        OutboundResult result = h.fake.sendOutboundMessage(endpoint, "Account", h.fake.ids("Account"), FIELDS);

        assertThat(result.acknowledged()).isEqualTo(3);
        assertThat(result.statuses()).containsExactly(200);
    }

    private URI listen(List<String> received) throws IOException {
        return listenWith(adapter, received);
    }

    /** A webhook receiver on 127.0.0.1 that answers what the adapter decides. */
    private URI listenWith(ProviderAdapter receiver, List<String> received) throws IOException {
        listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        listener.createContext("/webhooks/salesforce/key", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new HashMap<>(ex.getRequestHeaders());
            WebhookVerdict verdict = receiver.verifyWebhook(new WebhookRequest(ex.getRequestMethod(), headers, Map.of(), body,
                    h.clock.instant()));
            byte[] answer = new byte[0];
            int status;
            if (verdict instanceof WebhookVerdict.Accept a) {
                received.add(new String(body, StandardCharsets.UTF_8));
                status = a.response().status();
                answer = a.response().body();
                ex.getResponseHeaders().add("content-type", a.response().contentType());
            } else {
                status = ((WebhookVerdict.Reject) verdict).status();
            }
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(answer);
                }
            }
            ex.close();
        });
        listener.start();
        return URI.create("http://127.0.0.1:" + listener.getAddress().getPort() + "/webhooks/salesforce/key");
    }
}
