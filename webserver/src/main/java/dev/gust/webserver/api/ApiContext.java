package dev.gust.webserver.api;

import dev.gust.core.store.events.Event;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.webserver.WebServices;
import dev.gust.webserver.auth.CurrentUser;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;

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

    /** One page of a listing, for the client's {@code limit} and {@code offset}. */
    @FunctionalInterface
    public interface Listing<T> {
        Page<T> list(ApiRequest.Paging paging);
    }

    /** One page of a listing in the client's {@code order_by}. */
    @FunctionalInterface
    public interface OrderedListing<T> {
        Page<T> list(OrderBy order, int limit, int offset);
    }

    /** An endpoint's collection body (Airflow's {@code XCollection}): the page's items and {@code total_entries}. */
    @FunctionalInterface
    public interface CollectionBody<R> {
        Object of(List<R> items, long totalEntries);
    }

    /**
     * Answers a list endpoint as every Airflow collection answers: the paging is checked first, so
     * a bad {@code limit} or {@code offset} is refused before anything else the listing reads.
     */
    public <T, R> void answerPage(Context ctx, Listing<T> listing, Function<T, R> item, CollectionBody<R> body) {
        Page<R> page = listing.list(paging(ctx)).map(item);
        ApiJson.ok(ctx, body.of(page.items(), page.totalEntries()));
    }

    /** {@link #answerPage(Context, Listing, Function, CollectionBody)} for a listing sorted by {@code order_by}. */
    public <T, R> void answerPage(
            Context ctx,
            Function<String, OrderBy> orderBy,
            OrderedListing<T> listing,
            Function<T, R> item,
            CollectionBody<R> body) {
        answerPage(
                ctx,
                paging -> listing.list(orderBy.apply(ctx.queryParam("order_by")), paging.limit(), paging.offset()),
                item,
                body);
    }

    /** Records a change made through the API in the audit log. */
    public void audit(Context ctx, String event, String dagId, String taskId, String runId, String extra) {
        eventLog.append(new Event(event, dagId, taskId, runId, CurrentUser.name(ctx), extra));
    }
}
