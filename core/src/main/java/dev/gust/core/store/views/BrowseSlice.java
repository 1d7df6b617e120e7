package dev.gust.core.store.views;

import java.util.List;

/**
 * One page of a Browse listing and whether another follows. There is no total on purpose:
 * counting every matching task instance costs a full scan at 100,000 rows, while "is there a
 * next page" costs one extra row.
 */
public record BrowseSlice<T>(List<T> items, int page, boolean hasMore) {

    public BrowseSlice {
        items = List.copyOf(items);
    }

    /** Cuts {@code fetched} (read with {@code pageSize + 1} as the limit) to the page. */
    static <T> BrowseSlice<T> of(List<T> fetched, int page, int pageSize) {
        boolean more = fetched.size() > pageSize;
        return new BrowseSlice<>(more ? fetched.subList(0, pageSize) : fetched, page, more);
    }

    static int offset(int page, int pageSize) {
        return (Math.max(1, page) - 1) * pageSize;
    }
}
