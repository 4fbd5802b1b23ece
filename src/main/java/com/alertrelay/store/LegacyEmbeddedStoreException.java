package com.alertrelay.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data directory holds the H2 database of an earlier Alert Relay ({@code relay.mv.db}) and no embedded store
 * of this version yet. Starting would silently begin with an empty store while that file may still hold pending,
 * retrying and dead deliveries and the channels' state (Telegram message ids to edit on resolve, Kakao tokens), so
 * startup stops and says what to do ({@link LegacyEmbeddedStoreFailureAnalyzer}).
 */
public class LegacyEmbeddedStoreException extends IllegalStateException {

    static final String H2_FILE = "relay.mv.db";

    private final transient Path legacyFile;
    private final transient Path storeFile;

    LegacyEmbeddedStoreException(Path legacyFile, Path storeFile) {
        super("The data directory " + legacyFile.getParent() + " holds an H2 store of an earlier Alert Relay ("
                + legacyFile.getFileName() + ") and no " + storeFile.getFileName()
                + "; refusing to start with an empty store");
        this.legacyFile = legacyFile;
        this.storeFile = storeFile;
    }

    static void refuseIfOnlyLegacyStore(Path storeFile) {
        Path legacy = storeFile.resolveSibling(H2_FILE);
        if (!Files.exists(storeFile) && Files.exists(legacy)) {
            throw new LegacyEmbeddedStoreException(legacy, storeFile);
        }
    }

    Path legacyFile() {
        return legacyFile;
    }

    Path storeFile() {
        return storeFile;
    }
}
