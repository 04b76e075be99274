package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * A parsed Salesforce Outbound Message: a SOAP 1.1 envelope whose body holds
 * {@code notifications} (namespace {@value #NAMESPACE}) with the {@code OrganizationId} and 1 to
 * 100 {@code Notification}s, each a notification {@code Id} and an {@code sObject} carrying the
 * record's {@code Id} and the fields the outbound message selects.
 *
 * <p>Parsing refuses DTDs and external entities (the body is untrusted until the org id is
 * checked). Field values are text, as SOAP carries them; {@code xsi:nil="true"} becomes JSON
 * null.
 *
 * @param organizationId the sending org, 18 characters
 * @param notifications the notifications, in message order, duplicates by id removed
 */
record OutboundMessage(String organizationId, List<Notification> notifications) {

    static final String NAMESPACE = "http://soap.sforce.com/2005/09/outbound";
    static final int MAX_NOTIFICATIONS = 100;
    static final String ACK = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
            + "<notificationsResponse xmlns=\"" + NAMESPACE + "\"><Ack>true</Ack></notificationsResponse>"
            + "</soapenv:Body></soapenv:Envelope>";

    private static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    /**
     * One notification.
     *
     * @param id notification id, stable across Salesforce's redeliveries
     * @param entity the sObject type ({@code xsi:type="sf:Account"} → {@code Account})
     * @param recordId the record id, 18 characters
     * @param fields the fields sent, {@code Id} included
     */
    record Notification(String id, String entity, String recordId, ObjectNode fields) {

        /**
         * The record as it can be applied without a refetch: only when the message carries
         * {@code SystemModstamp}, without which the engine could not tell an old message from a
         * newer state it already holds. Otherwise {@code null}, and the engine refetches.
         */
        ExternalRecord record() {
            if (!fields.hasNonNull("SystemModstamp")) {
                return null;
            }
            Optional<Instant> stamp = SalesforceDates.parse(fields.get("SystemModstamp").asText());
            return stamp.map(s -> ExternalRecord.of(entity, recordId, fields.deepCopy(), s, s.toString())).orElse(null);
        }

        /** When the record last changed, if the message says. */
        Instant modifiedAt() {
            return fields.hasNonNull("SystemModstamp") ? SalesforceDates.parse(fields.get("SystemModstamp").asText()).orElse(null) : null;
        }
    }

    /** The body is not an Outbound Message; the reason is safe to log. */
    static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    OutboundMessage {
        notifications = List.copyOf(notifications);
    }

    /**
     * Parses a message.
     *
     * @throws Malformed when the body is not XML, not a SOAP envelope with {@code notifications},
     *     lacks the org id or a record id, or carries more than {@value #MAX_NOTIFICATIONS}
     *     notifications
     */
    static OutboundMessage parse(byte[] body) throws Malformed {
        Document doc;
        try {
            doc = parser().parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException e) {
            throw new Malformed("the body is not well-formed XML");
        }
        Element envelope = doc.getDocumentElement();
        if (!SOAP_ENV.equals(envelope.getNamespaceURI()) || !"Envelope".equals(envelope.getLocalName())) {
            throw new Malformed("the body is not a SOAP 1.1 envelope");
        }
        Element soapBody = child(envelope, SOAP_ENV, "Body").orElseThrow(() -> new Malformed("the envelope has no Body"));
        Element notifications = child(soapBody, NAMESPACE, "notifications")
                .orElseThrow(() -> new Malformed("the SOAP body holds no " + NAMESPACE + " notifications"));
        String org = child(notifications, NAMESPACE, "OrganizationId").map(e -> e.getTextContent().trim())
                .flatMap(SalesforceId::normalise).orElseThrow(() -> new Malformed("OrganizationId is missing or not an id"));
        Map<String, Notification> byId = new LinkedHashMap<>();
        int count = 0;
        for (Node n = notifications.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e) || !NAMESPACE.equals(e.getNamespaceURI()) || !"Notification".equals(e.getLocalName())) {
                continue;
            }
            if (++count > MAX_NOTIFICATIONS) {
                throw new Malformed("more than " + MAX_NOTIFICATIONS + " notifications in one message");
            }
            Notification parsed = notification(e);
            byId.putIfAbsent(parsed.id(), parsed);
        }
        if (byId.isEmpty()) {
            throw new Malformed("the message has no Notification");
        }
        return new OutboundMessage(org, new ArrayList<>(byId.values()));
    }

    private static Notification notification(Element e) throws Malformed {
        String id = child(e, NAMESPACE, "Id").map(x -> x.getTextContent().trim()).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new Malformed("a Notification has no Id"));
        Element sObject = child(e, NAMESPACE, "sObject").orElseThrow(() -> new Malformed("notification " + id + " has no sObject"));
        String type = sObject.getAttributeNS(XSI, "type");
        int colon = type.indexOf(':');
        String entity = colon >= 0 ? type.substring(colon + 1) : type;
        if (entity.isBlank()) {
            throw new Malformed("notification " + id + " has an sObject without xsi:type");
        }
        ObjectNode fields = SyncJson.object();
        for (Node n = sObject.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element f) {
                String name = f.getLocalName();
                if ("true".equals(f.getAttributeNS(XSI, "nil"))) {
                    fields.putNull(name);
                } else {
                    fields.put(name, f.getTextContent());
                }
            }
        }
        String recordId = SalesforceId.normalise(fields.path("Id").asText(null))
                .orElseThrow(() -> new Malformed("notification " + id + " carries no valid record Id"));
        fields.put("Id", recordId);
        return new Notification(id, entity, recordId, fields);
    }

    private static Optional<Element> child(Element parent, String namespace, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static DocumentBuilder parser() throws Malformed {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            // the default handler prints to stderr; errors surface as the exceptions thrown instead
            b.setErrorHandler(new org.xml.sax.ErrorHandler() {
                @Override
                public void warning(org.xml.sax.SAXParseException e) {
                }

                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new Malformed("no secure XML parser is available: " + e.getMessage());
        }
    }

    /** The acknowledgement Salesforce expects, as bytes. */
    static byte[] ackBytes() {
        return ACK.getBytes(StandardCharsets.UTF_8);
    }
}
