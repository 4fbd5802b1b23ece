package com.alertrelay.reconcile;

import java.net.URI;

/** An Alertmanager could not be asked: the reconciliation resolves nothing in this run. */
class AlertmanagerUnavailableException extends RuntimeException {

    AlertmanagerUnavailableException(URI alertmanager, String why) {
        super("Alertmanager " + AlertmanagerHttp.shown(alertmanager) + " could not be asked for its alerts: " + why);
    }
}
