package dev.gust.core.store.pools;

/** A pool of slots that limits how many task instances assigned to it run at once; -1 slots means unlimited. */
public record Pool(String name, int slots, String description) {

    /** The pool every task uses unless it names another; it always exists. */
    public static final String DEFAULT = "default_pool";
}
