-- KakaoTalk notifier (package notify.kakao). Independent of every other migration: it only adds its own
-- tables. Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.

-- Refresh single flight across replicas: one row per kakao channel, leased with a conditional UPDATE
-- (exactly one transaction wins), released after the refresh or expired after a crash.
CREATE TABLE kakao_token_lease (
    channel     VARCHAR(200) NOT NULL PRIMARY KEY,
    holder      VARCHAR(64),
    lease_until TIMESTAMP WITH TIME ZONE
);

-- Messages sent per sender (channel) per day, the day starting at 00:00 Asia/Seoul like Kakao's quota.
-- Reserved before each send with an atomic "used = used + 1 WHERE used < limit".
CREATE TABLE kakao_quota (
    sender    VARCHAR(200) NOT NULL,
    seoul_day DATE         NOT NULL,
    used      INT          NOT NULL,
    PRIMARY KEY (sender, seoul_day)
);
