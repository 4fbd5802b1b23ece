package com.alertrelay.store;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says what to do with the H2 store an earlier version left behind (see {@link LegacyEmbeddedStoreException}). */
class LegacyEmbeddedStoreFailureAnalyzer extends AbstractFailureAnalyzer<LegacyEmbeddedStoreException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LegacyEmbeddedStoreException cause) {
        return new FailureAnalysis(cause.getMessage() + ".",
                """
                The embedded store is now SQLite (%2$s). It does not read H2 files. Either:
                  1. Drain the old store first: start the previous Alert Relay version on this data directory until
                     GET /api/deliveries?state=pending and ?state=retrying are empty and you have retried or noted the
                     dead ones (GET /api/deliveries?state=dead), stop it, then move %1$s out of the way
                     (e.g. mv %1$s %1$s.old) and start this version; or
                  2. If nothing in it matters (a demo, a test), delete or move %1$s and start again.
                Telegram messages sent by the old store will not be edited on resolve (the resolve is sent as a new
                message), and a KakaoTalk channel connected through /kakao/<channel>/authorize must be connected again.
                """.formatted(cause.legacyFile(), cause.storeFile()),
                cause);
    }
}
