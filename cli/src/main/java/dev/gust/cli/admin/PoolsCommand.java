package dev.gust.cli.admin;

import dev.gust.cli.common.OutputOption;
import dev.gust.cli.common.Table;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.store.pools.Pool;
import dev.gust.core.store.pools.PoolRepository;
import dev.gust.core.store.pools.PoolUsage;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gust pools ...}: the pools that cap how many task instances run at once, as Airflow's
 * command of the same name. Listing shows, next to each pool's slots, the slots its queued and
 * running task instances hold (summed by {@code pool_slots}, as the scheduler counts them).
 */
@Command(
        name = "pools",
        mixinStandardHelpOptions = true,
        description = "Manage pools.",
        subcommands = {
            PoolsCommand.Set.class,
            PoolsCommand.Get.class,
            PoolsCommand.ListPools.class,
            PoolsCommand.Delete.class
        })
public final class PoolsCommand {

    private PoolsCommand() {}

    private static <T> T withPools(MetadataAccess metadata, Function<PoolRepository, T> work) {
        try (CliContext cli = metadata.open()) {
            return cli.inTransaction(stores -> work.apply(stores.pools()));
        }
    }

    private static Table table(List<PoolUsage> pools) {
        Table table = new Table("pool", "slots", "running", "queued", "open slots", "description");
        for (PoolUsage usage : pools) {
            Pool pool = usage.pool();
            table.add(
                    pool.name(),
                    slots(pool.slots()),
                    String.valueOf(usage.running()),
                    String.valueOf(usage.queued()),
                    slots(usage.openSlots()),
                    pool.description());
        }
        return table;
    }

    private static String slots(int slots) {
        return slots < 0 ? "unlimited" : String.valueOf(slots);
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Create a pool or change its slots (-1 for unlimited) and description.")
    static final class Set implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SLOTS", description = "How many slots; -1 for unlimited.")
        int slots;

        @Option(
                names = "--description",
                paramLabel = "TEXT",
                description = "What the pool is for (kept as it was when not given).")
        String description;

        @Override
        public void run() {
            if (name.isBlank()) {
                throw new UserError("the pool name is empty; give a name such as warehouse");
            }
            if (slots < -1) {
                throw new UserError("SLOTS must be 0 or more, or -1 for unlimited; got " + slots);
            }
            boolean created = withPools(metadata, pools -> {
                var existing = pools.find(name);
                String kept = description != null
                        ? description
                        : existing.map(Pool::description).orElse(null);
                pools.set(new Pool(name, slots, kept));
                return existing.isEmpty();
            });
            metadata.out()
                    .println("Pool " + name + (created ? " created" : " updated") + " with " + slots(slots) + " slots");
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Show one pool and its usage; exit 1 if it does not exist.")
    static final class Get implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        OutputOption output;

        @Override
        public void run() {
            List<PoolUsage> found = withPools(
                    metadata,
                    pools -> pools.usage().stream()
                            .filter(usage -> usage.pool().name().equals(name))
                            .toList());
            if (found.isEmpty()) {
                throw new UserError("no pool '" + name + "'; 'gust pools list' shows them, 'gust pools set " + name
                        + " SLOTS' creates it");
            }
            table(found).print(metadata.out(), output.format());
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the pools with the slots their queued and running task instances hold.")
    static final class ListPools implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        OutputOption output;

        @Override
        public void run() {
            table(withPools(metadata, PoolRepository::usage)).print(metadata.out(), output.format());
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description =
                    "Delete a pool (not default_pool); task instances that still name it fail when they are scheduled.")
    static final class Delete implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            if (Pool.DEFAULT.equals(name)) {
                throw new UserError(Pool.DEFAULT + " cannot be deleted; resize it with 'gust pools set " + Pool.DEFAULT
                        + " SLOTS'");
            }
            if (!withPools(metadata, pools -> pools.delete(name))) {
                throw new UserError("no pool '" + name + "' to delete; 'gust pools list' shows them");
            }
            metadata.out().println("Pool " + name + " deleted");
        }
    }
}
