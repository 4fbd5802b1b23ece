-- See ../postgresql/V3__payload_deflated.sql: payloads are kept deflated (notification.payload stays for rows
-- the PostgreSQL store kept from before; here it is always NULL).
ALTER TABLE notification ADD COLUMN payload_deflated BLOB;
