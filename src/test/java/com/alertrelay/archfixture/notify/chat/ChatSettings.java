package com.alertrelay.archfixture.notify.chat;

/** The notifier's own package: allowed. */
record ChatSettings(String url) {
}
