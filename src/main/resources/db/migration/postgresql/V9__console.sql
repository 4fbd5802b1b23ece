-- For the operator console.
-- alert_labels: the notification's alert labels as distinct "name=value" pairs, sorted, alertname first, at most
-- 500 characters — what the console lists and searches (the payload itself is kept deflated). NULL for
-- notifications stored before this version: they are listed by their group key and not found by a search.
ALTER TABLE notification ADD COLUMN alert_labels VARCHAR(600);
-- Every failed attempt of a delivery (a delivered one is delivery.delivered_at): when, retry or dead, and the
-- error. At most the last 20 per delivery are kept; they go with their delivery (ON DELETE CASCADE).
CREATE TABLE delivery_attempt (
    delivery_id  BIGINT                   NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
    attempt      INTEGER                  NOT NULL,
    attempted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome      VARCHAR(16)              NOT NULL,
    error        VARCHAR(2000),
    PRIMARY KEY (delivery_id, attempt)
);
