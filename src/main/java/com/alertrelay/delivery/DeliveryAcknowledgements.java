package com.alertrelay.delivery;

import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.alertrelay.notify.Acknowledgements;
import com.alertrelay.store.StoreDialect;

/** Acknowledgements from the chat, on the delivery whose message was acknowledged (operator API: acknowledgedBy). */
@Component
class DeliveryAcknowledgements implements Acknowledgements {

    private final JdbcClient jdbc;
    private final StoreDialect dialect;

    DeliveryAcknowledgements(JdbcClient jdbc, StoreDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    @Override
    public void acknowledged(String channel, String groupHash, String by, Instant at) {
        jdbc.sql("""
                UPDATE delivery SET acked_by = :by, acked_at = :at
                WHERE id = (SELECT MAX(id) FROM delivery
                            WHERE channel = :channel AND group_hash = :group AND state = 'DELIVERED')""")
                .param("by", by.length() > 200 ? by.substring(0, 200) : by).param("at", dialect.timestamp(at))
                .param("channel", channel).param("group", groupHash)
                .update();
    }
}
