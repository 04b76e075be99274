package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.testkit.fake.StoredRecord;
import com.castiel.sync.testkit.fake.WebhookDelivery;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Outbound Messaging: SOAP 1.1 notifications (namespace {@value #NAMESPACE}) carrying up to
 * {@value #MAX_NOTIFICATIONS} records each, as workflow rules and flows send them.
 *
 * <p>A message holds the org id, an action id, a nil session id ("Send Session ID" off), the
 * enterprise and partner URLs, and one {@code Notification} per record: a notification
 * {@code Id} and an {@code sObject} with {@code xsi:type="sf:Type"} and the selected fields, read
 * when the message is built (Salesforce sends the latest data, not the state at the change). A
 * record deleted by then is sent with its {@code Id} only.
 *
 * <p>Rules ({@link #onChangeOf}) queue a notification for every change of a type, like a
 * workflow rule with an outbound message action; {@link #deliverPending} sends the queue and
 * keeps what was not acknowledged, to be retried, as Salesforce retries for up to 24 hours.
 * Acknowledged means HTTP 2xx with a {@code notificationsResponse} whose {@code Ack} is
 * {@code true}. Thread-safe.
 */
final class OutboundMessenger {

    static final String NAMESPACE = "http://soap.sforce.com/2005/09/outbound";
    static final int MAX_NOTIFICATIONS = 100;

    /**
     * One queued notification.
     *
     * @param id notification id (stable across retries, for de-duplication)
     * @param type sObject type
     * @param recordId the record
     * @param fields the fields to send
     */
    record Notification(String id, SObjectType type, String recordId, List<SObjectField> fields) {
    }

    private final SObjectStore store;
    private final String orgId;
    private final Supplier<URI> instanceUrl;
    private final String apiVersion;
    private final Map<String, List<SObjectField>> rules = new LinkedHashMap<>();
    private final List<Notification> pending = new ArrayList<>();
    private long notificationSequence;
    private final String actionId = SalesforceIds.issue("04k", 1);

    OutboundMessenger(SObjectStore store, String orgId, Supplier<URI> instanceUrl, String apiVersion) {
        this.store = store;
        this.orgId = orgId;
        this.instanceUrl = instanceUrl;
        this.apiVersion = apiVersion;
    }

    /** From now on, every change of a {@code type} record queues a notification with {@code fields}. */
    synchronized void onChangeOf(SObjectType type, List<SObjectField> fields) {
        rules.put(type.name(), List.copyOf(fields));
    }

    /** The store's change listener: queues a notification when a rule covers the type. */
    void changed(StoredRecord record) {
        synchronized (this) {
            List<SObjectField> fields = rules.get(record.entity());
            if (fields == null || record.deleted()) {
                return;
            }
            SObjectType type = store.type(record.entity()).orElseThrow();
            pending.add(new Notification(nextNotificationId(), type, record.id(), fields));
        }
    }

    synchronized int pending() {
        return pending.size();
    }

    /** Notifications for records, with fresh ids. */
    synchronized List<Notification> notifications(SObjectType type, List<String> ids, List<SObjectField> fields) {
        List<Notification> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(new Notification(nextNotificationId(), type, id, fields));
        }
        return out;
    }

    /** The message carrying {@code notifications}, with the headers Salesforce sends. */
    WebhookDelivery message(List<Notification> notifications) {
        if (notifications.isEmpty() || notifications.size() > MAX_NOTIFICATIONS) {
            throw new IllegalArgumentException("an outbound message carries 1 to " + MAX_NOTIFICATIONS + " notifications");
        }
        String org15 = orgId.substring(0, 15);
        String version = apiVersion.substring(1);
        StringBuilder x = new StringBuilder(512 + notifications.size() * 400);
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" ")
                .append("xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n")
                .append(" <soapenv:Body>\n")
                .append("  <notifications xmlns=\"").append(NAMESPACE).append("\">\n")
                .append("   <OrganizationId>").append(orgId).append("</OrganizationId>\n")
                .append("   <ActionId>").append(actionId).append("</ActionId>\n")
                .append("   <SessionId xsi:nil=\"true\"/>\n")
                .append("   <EnterpriseUrl>").append(escape(instanceUrl.get() + "/services/Soap/c/" + version + "/" + org15))
                .append("</EnterpriseUrl>\n")
                .append("   <PartnerUrl>").append(escape(instanceUrl.get() + "/services/Soap/u/" + version + "/" + org15))
                .append("</PartnerUrl>\n");
        for (Notification n : notifications) {
            x.append("   <Notification>\n    <Id>").append(n.id()).append("</Id>\n")
                    .append("    <sObject xsi:type=\"sf:").append(n.type().name())
                    .append("\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">\n");
            Optional<StoredRecord> live = store.live(n.type(), n.recordId());
            x.append("     <sf:Id>").append(n.recordId()).append("</sf:Id>\n");
            if (live.isPresent()) {
                SObjectRow row = new SObjectRow(store, n.type(), live.get());
                for (SObjectField f : n.fields()) {
                    if (f.name().equals("Id")) {
                        continue;
                    }
                    JsonNode v = row.json(f);
                    x.append("     <sf:").append(f.name());
                    if (v == null || v.isNull()) {
                        x.append(" xsi:nil=\"true\"/>\n");
                    } else {
                        x.append('>').append(escape(soapValue(f, v))).append("</sf:").append(f.name()).append(">\n");
                    }
                }
            }
            x.append("    </sObject>\n   </Notification>\n");
        }
        x.append("  </notifications>\n </soapenv:Body>\n</soapenv:Envelope>\n");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "text/xml; charset=utf-8");
        headers.put("soapaction", "\"\"");
        headers.put("user-agent", "Salesforce - OM");
        return new WebhookDelivery(headers, x.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends every queued notification to {@code endpoint}, {@value #MAX_NOTIFICATIONS} per
     * message, and keeps the ones whose message was not acknowledged.
     */
    OutboundResult deliverPending(URI endpoint, Duration timeout) {
        List<Notification> batch;
        synchronized (this) {
            batch = List.copyOf(pending);
        }
        int acked = 0;
        int messages = 0;
        List<Integer> statuses = new ArrayList<>();
        for (int from = 0; from < batch.size(); from += MAX_NOTIFICATIONS) {
            List<Notification> part = batch.subList(from, Math.min(batch.size(), from + MAX_NOTIFICATIONS));
            OutboundResult one = send(endpoint, message(part), part.size(), timeout);
            messages++;
            statuses.addAll(one.statuses());
            if (one.acknowledged() == part.size()) {
                acked += part.size();
                synchronized (this) {
                    pending.removeAll(part);
                }
            }
        }
        return new OutboundResult(messages, acked, batch.size() - acked, statuses);
    }

    /** Sends one message and reports whether it was acknowledged. */
    static OutboundResult send(URI endpoint, WebhookDelivery message, int notifications, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(b::header);
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            boolean acked = r.statusCode() / 100 == 2 && acknowledges(r.body());
            return new OutboundResult(1, acked ? notifications : 0, acked ? 0 : notifications, List.of(r.statusCode()));
        } catch (IOException e) {
            return new OutboundResult(1, 0, notifications, List.of(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OutboundResult(1, 0, notifications, List.of(0));
        }
    }

    /** Whether a response body is a {@code notificationsResponse} with {@code Ack} true. */
    static boolean acknowledges(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            NodeList acks = doc.getElementsByTagNameNS(NAMESPACE, "Ack");
            if (acks.getLength() == 0 || doc.getElementsByTagNameNS(NAMESPACE, "notificationsResponse").getLength() == 0) {
                return false;
            }
            for (int i = 0; i < acks.getLength(); i++) {
                if (!"true".equals(acks.item(i).getTextContent().trim())) {
                    return false;
                }
            }
            return true;
        } catch (ParserConfigurationException | SAXException | IOException e) {
            return false;
        }
    }

    private String nextNotificationId() {
        return SalesforceIds.issue("04l", ++notificationSequence);
    }

    private static String soapValue(SObjectField f, JsonNode v) {
        if (f.type() == SObjectField.Type.DATETIME) {
            return SalesforceTime.parse(v.asText()).map(SalesforceTime::soap).orElse(v.asText());
        }
        return v.isNumber() ? v.decimalValue().toPlainString() : v.asText();
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
