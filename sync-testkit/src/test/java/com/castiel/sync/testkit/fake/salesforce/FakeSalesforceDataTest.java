package com.castiel.sync.testkit.fake.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.testkit.fake.WebhookDelivery;
import com.castiel.sync.testkit.time.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class FakeSalesforceDataTest {

    private static final long SEED = 20260302L;

    @Test
    void seeding_is_deterministic_for_the_same_size_seed_and_clock() {
        System.out.println("seed " + SEED);
        try (FakeSalesforce a = new FakeSalesforce(MutableClock.at("2026-03-02T09:00:00Z"));
             FakeSalesforce b = new FakeSalesforce(MutableClock.at("2026-03-02T09:00:00Z"))) {
            SeedSummary summary = a.seedAccountsAndContacts(50, SEED);
            b.seedAccountsAndContacts(50, SEED);

            assertThat(summary).isEqualTo(new SeedSummary(5, 50, 50, SEED));
            assertThat(a.ids("Account")).isEqualTo(b.ids("Account")).hasSize(50);
            assertThat(a.ids("Contact")).isEqualTo(b.ids("Contact")).hasSize(50);
            for (String id : a.ids("Contact")) {
                assertThat(a.record("Contact", id)).isEqualTo(b.record("Contact", id));
            }
        }
    }

    @Test
    void seeded_contacts_point_at_seeded_accounts_and_owners() {
        try (FakeSalesforce sf = new FakeSalesforce(MutableClock.at("2026-03-02T09:00:00Z"))) {
            sf.seedAccountsAndContacts(20, SEED);

            assertThat(sf.ids("Contact")).allSatisfy(id -> {
                var contact = sf.record("Contact", id).orElseThrow();
                assertThat(sf.record("Account", contact.get("AccountId").asText())).isPresent();
                assertThat(sf.record("User", contact.get("OwnerId").asText())).isPresent();
                assertThat(contact.get("Email").asText()).endsWith("@customer.example");
            });
            assertThat(sf.count("User")).isEqualTo(5);
        }
    }

    @Test
    void direct_writes_are_checked_like_api_writes() {
        try (FakeSalesforce sf = new FakeSalesforce(MutableClock.at("2026-03-02T09:00:00Z"))) {
            assertThatThrownBy(() -> sf.create("Account", SyncJson.object().put("Industry", "x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REQUIRED_FIELD_MISSING");
        }
    }

    @Test
    void ids_have_the_type_prefix_and_the_case_safe_suffix() {
        String id = SalesforceIds.issue("001", 61);

        assertThat(id).hasSize(18).startsWith("001");
        assertThat(SalesforceIds.normalise(id.substring(0, 15))).contains(id);
        assertThat(SalesforceIds.issue("001", 62).compareTo(id)).as("issue order is string order").isPositive();
        assertThat(SalesforceIds.normalise("a00D0000008pQRA")).contains("a00D0000008pQRAIA2");
    }

    @Test
    void an_outbound_message_is_a_soap_envelope_with_the_org_and_one_notification_per_record() throws Exception {
        try (FakeSalesforce sf = new FakeSalesforce(MutableClock.at("2026-03-02T09:00:00Z")).start()) {
            String a = sf.create("Account", SyncJson.object().put("Name", "A & B <Co>"));
            String b = sf.create("Account", SyncJson.object().put("Name", "Plain").put("NumberOfEmployees", 12));

            WebhookDelivery message = sf.outboundMessage("Account", List.of(a, b), List.of("Name", "Industry", "NumberOfEmployees",
                    "SystemModstamp"));

            assertThat(message.headers()).containsEntry("soapaction", "\"\"").containsKey("content-type");
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(message.body()));
            String ns = "http://soap.sforce.com/2005/09/outbound";
            assertThat(doc.getElementsByTagNameNS(ns, "OrganizationId").item(0).getTextContent()).isEqualTo(sf.orgId());
            assertThat(doc.getElementsByTagNameNS(ns, "Notification").getLength()).isEqualTo(2);
            Element first = (Element) doc.getElementsByTagNameNS(ns, "sObject").item(0);
            assertThat(first.getAttributeNS("http://www.w3.org/2001/XMLSchema-instance", "type")).isEqualTo("sf:Account");
            String sfNs = "urn:sobject.enterprise.soap.sforce.com";
            assertThat(first.getElementsByTagNameNS(sfNs, "Name").item(0).getTextContent()).isEqualTo("A & B <Co>");
            assertThat(((Element) first.getElementsByTagNameNS(sfNs, "Industry").item(0))
                    .getAttributeNS("http://www.w3.org/2001/XMLSchema-instance", "nil")).isEqualTo("true");
            assertThat(first.getElementsByTagNameNS(sfNs, "SystemModstamp").item(0).getTextContent()).isEqualTo("2026-03-02T09:00:00.000Z");
            assertThatThrownBy(() -> sf.outboundMessage("Account", IntStream.range(0, 101).mapToObj(i -> a).toList(), List.of("Name")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void change_rules_queue_notifications_until_acknowledged() {
        try (FakeSalesforce sf = new FakeSalesforce(MutableClock.at("2026-03-02T09:00:00Z")).start()) {
            sf.sendOutboundMessagesOnChange("Account", List.of("Name"));
            sf.create("Account", SyncJson.object().put("Name", "Watched"));
            sf.create("Contact", SyncJson.object().put("LastName", "Not watched"));

            assertThat(sf.pendingOutboundNotifications()).isEqualTo(1);
            OutboundResult unreachable = sf.deliverOutboundMessages(java.net.URI.create("http://127.0.0.1:9/none"));
            assertThat(unreachable.unacknowledged()).isEqualTo(1);
            assertThat(unreachable.statuses()).containsExactly(0);
            assertThat(sf.pendingOutboundNotifications()).isEqualTo(1);
        }
    }

    @Test
    void an_acknowledgement_needs_the_notifications_response_with_ack_true() {
        String ack = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                + "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack></notificationsResponse>"
                + "</soapenv:Body></soapenv:Envelope>";

        assertThat(OutboundMessenger.acknowledges(ack.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(OutboundMessenger.acknowledges(ack.replace("true", "false").getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(OutboundMessenger.acknowledges("OK".getBytes(StandardCharsets.UTF_8))).isFalse();
    }
}
