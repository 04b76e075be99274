package com.castiel.sync.spi;

import com.castiel.sync.model.ExternalRecord;
import java.time.Instant;
import java.util.Objects;

/**
 * One change announced by a webhook. {@code entity} and {@code externalId} are required
 * ({@code NullPointerException} otherwise); everything else may be {@code null}.
 *
 * @param entity provider entity
 * @param externalId record id
 * @param deleted true when the record was deleted
 * @param record the record's fields when the payload carried them; {@code null} or a record
 *     missing mapped fields makes the engine refetch it
 * @param occurredAt when the change happened, if the payload says
 * @param notificationId provider notification id for de-duplication, or {@code null}
 */
public record ChangeNotice(String entity, String externalId, boolean deleted, ExternalRecord record, Instant occurredAt, String notificationId) {

    public ChangeNotice {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(externalId, "externalId");
    }
}
