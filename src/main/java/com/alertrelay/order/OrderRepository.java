package com.alertrelay.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import com.alertrelay.store.StoreDialect;

/** Orders in table {@code orders} (Flyway {@code V2__orders.sql}; pruned by {@link OrderPruner}), in the same store as the relay's tables. */
@Repository
class OrderRepository {

    private static final String COLUMNS = "id, item, quantity, amount, status, failure_reason, created_at, processed_at";

    private final JdbcClient jdbc;
    private final StoreDialect dialect;

    OrderRepository(JdbcClient jdbc, StoreDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    Order insert(NewOrder order, Instant now) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO orders (item, quantity, amount, status, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(order.item(), order.quantity(), order.amount(), Order.Status.PENDING.name(), dialect.timestamp(now))
                .update(key, "id");
        long id = key.getKeyAs(Number.class).longValue();
        return new Order(id, order.item(), order.quantity(), order.amount(), Order.Status.PENDING, null, now, null);
    }

    /** Records the payment's outcome: {@code PAID} when {@code failureReason} is null, otherwise {@code FAILED}. */
    Order complete(long id, String failureReason, Instant now) {
        Order.Status status = failureReason == null ? Order.Status.PAID : Order.Status.FAILED;
        jdbc.sql("UPDATE orders SET status = ?, failure_reason = ?, processed_at = ? WHERE id = ?")
                .params(status.name(), failureReason, dialect.timestamp(now), id)
                .update();
        return find(id).orElseThrow(() -> new IllegalStateException("order " + id + " vanished"));
    }

    Optional<Order> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE id = ?")
                .param(id)
                .query(OrderRepository::order)
                .optional();
    }

    private static Order order(ResultSet rs, int row) throws SQLException {
        return new Order(rs.getLong("id"), rs.getString("item"), rs.getInt("quantity"), rs.getBigDecimal("amount"),
                Order.Status.valueOf(rs.getString("status")), rs.getString("failure_reason"),
                instant(rs, "created_at"), instant(rs, "processed_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return StoreDialect.instant(rs, column);
    }
}
