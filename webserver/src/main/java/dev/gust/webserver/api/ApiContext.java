package dev.gust.webserver.api;

import dev.gust.core.store.events.Event;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.webserver.WebServices;
import dev.gust.webserver.auth.CurrentUser;
import io.javalin.http.Context;

/**
 * What the API's resource groups share: the web server's services, the page size cap, and the
 * audit log every change writes to (owner = the signed-in user).
 */
public record ApiContext(WebServices services, int maximumPageLimit, EventLogRepository eventLog) {

    public static ApiContext of(WebServices services) {
        return new ApiContext(
                services,
                services.config().api().maximumPageLimit(),
                services.stores().events());
    }

    public ApiRequest.Paging paging(Context ctx) {
        return ApiRequest.paging(ctx, maximumPageLimit);
    }

    /** Records a change made through the API in the audit log. */
    public void audit(Context ctx, String event, String dagId, String taskId, String runId, String extra) {
        eventLog.append(new Event(event, dagId, taskId, runId, CurrentUser.name(ctx), extra));
    }
}
