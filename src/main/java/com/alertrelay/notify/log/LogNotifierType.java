package com.alertrelay.notify.log;

import org.springframework.stereotype.Component;

import com.alertrelay.notify.ChannelDefinition;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.NotifierType;

/** Channel type {@code log}: every alert as one structured line in the application log. */
@Component
class LogNotifierType implements NotifierType {

    @Override
    public String type() {
        return "log";
    }

    @Override
    public Notifier create(ChannelDefinition channel) {
        return new LogNotifier(channel.name());
    }
}
