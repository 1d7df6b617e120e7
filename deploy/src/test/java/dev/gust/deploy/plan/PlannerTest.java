package dev.gust.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.deploy.model.Account;
import dev.gust.deploy.model.DeployConfig;
import dev.gust.deploy.model.DeployConfigs;
import dev.gust.deploy.model.DesiredState;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Network;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner is pure: these tests build desired and existing states by hand, no AWS. */
class PlannerTest {

    private static final Names NAMES = new Names("p");
    private static final Network NETWORK = new Network("vpc-1", List.of("subnet-a", "subnet-b"));
    private static final Account ACCOUNT = new Account("123456789012", "eu-west-1", "aws");
    private static final String IMAGE = "repo@sha256:" + "c".repeat(64);

    private static List<Resource> desired() {
        return DesiredState.compute(NAMES, DeployConfig.defaults(), NETWORK, ACCOUNT, IMAGE);
    }

    private static Existing asExisting(Resource r, String fingerprint) {
        return new Existing(r.kind(), r.name(), "id-" + r.name(), fingerprint);
    }

    @Test
    void fromNothingEverythingIsCreatedInDesiredOrder() {
        Plan plan = Planner.plan(desired(), List.of());
        assertThat(plan.actions()).allMatch(a -> a instanceof PlanAction.Create);
        assertThat(plan.actions())
                .extracting(PlanAction::name)
                .containsExactlyElementsOf(
                        desired().stream().map(Resource::name).toList());
        assertThat(plan.render()).contains("to create, 0 to update, 0 to delete");
    }

    @Test
    void whatExistsAsDesiredIsNoChange() {
        List<Existing> existing =
                desired().stream().map(r -> asExisting(r, r.fingerprint())).toList();
        Plan plan = Planner.plan(desired(), existing);
        assertThat(plan.hasChanges()).isFalse();
        assertThat(plan.render()).contains("No changes");
    }

    /**
     * down with an own VPC: everything that runs in it goes first, then route tables, the NAT
     * gateway (before its address and subnet), the Elastic IP, subnets, the internet gateway and
     * the VPC last.
     */
    @Test
    void teardownRemovesTheOwnNetworkAfterWhatUsesItInReverseDependencyOrder() {
        DeployConfig config = DeployConfigs.withOwnVpc();
        List<Resource> desired =
                DesiredState.compute(NAMES, config, Network.owned(NAMES, List.of("z-a", "z-b")), ACCOUNT, IMAGE);
        List<Existing> existing =
                desired.stream().map(r -> asExisting(r, r.fingerprint())).toList();
        List<PlanAction> deletes = Planner.teardown(existing).actions();
        assertThat(deletes).hasSize(desired.size());
        int firstNetwork = deletes.size() - 10;
        assertThat(deletes.subList(0, firstNetwork))
                .extracting(PlanAction::kind)
                .allMatch(k -> k.ordinal() >= ResourceKind.REPOSITORY.ordinal());
        assertThat(deletes.subList(firstNetwork, deletes.size()))
                .extracting(PlanAction::kind)
                .containsExactly(
                        ResourceKind.ROUTE_TABLE,
                        ResourceKind.ROUTE_TABLE,
                        ResourceKind.NAT_GATEWAY,
                        ResourceKind.ELASTIC_IP,
                        ResourceKind.SUBNET,
                        ResourceKind.SUBNET,
                        ResourceKind.SUBNET,
                        ResourceKind.SUBNET,
                        ResourceKind.INTERNET_GATEWAY,
                        ResourceKind.VPC);
    }

    @Test
    void aNewImageUpdatesTheTaskDefinitionsAndThroughThemTheServicesOnly() {
        List<Existing> existing =
                desired().stream().map(r -> asExisting(r, r.fingerprint())).toList();
        List<Resource> newImage =
                DesiredState.compute(NAMES, DeployConfig.defaults(), NETWORK, ACCOUNT, "repo@sha256:" + "d".repeat(64));
        Plan plan = Planner.plan(newImage, existing);
        assertThat(plan.actions())
                .filteredOn(a -> a instanceof PlanAction.Update)
                .extracting(PlanAction::kind)
                .containsOnly(ResourceKind.TASK_DEFINITION, ResourceKind.SERVICE)
                .hasSize(5);
    }

    @Test
    void aResourceLeftUnfinishedByAnInterruptedRunIsUpdated() {
        List<Existing> existing = desired().stream()
                .map(r -> asExisting(r, r.name().equals("gust-p-tasks") ? null : r.fingerprint()))
                .toList();
        Plan plan = Planner.plan(desired(), existing);
        assertThat(plan.names(PlanAction.Update.class)).containsExactly("gust-p-tasks");
        assertThat(plan.render()).contains("update (unfinished)");
    }

    @Test
    void switchingToAGivenDatabaseDeletesTheInstanceAfterEverythingElse() {
        List<Existing> existing =
                desired().stream().map(r -> asExisting(r, r.fingerprint())).toList();
        DeployConfig external = DeployConfigs.withDatabaseUrl("postgresql://u:p@db:5432/gust");
        Plan plan = Planner.plan(DesiredState.compute(NAMES, external, NETWORK, ACCOUNT, IMAGE), existing);
        // the RDS instance's alarms go first, with the instance: nothing else of the alerting changes
        assertThat(plan.actions().stream()
                        .filter(a -> a instanceof PlanAction.Delete && a.kind() == ResourceKind.ALARM)
                        .map(PlanAction::name))
                .containsExactly("gust-p-database-connections", "gust-p-database-storage", "gust-p-database-cpu");
        List<PlanAction> deletes = plan.actions().stream()
                .filter(a -> a instanceof PlanAction.Delete && a.kind() != ResourceKind.ALARM)
                .toList();
        assertThat(deletes)
                .extracting(PlanAction::name)
                .containsExactly("gust-p", "gust/p/database-password", "gust-p", "gust-p-db");
        assertThat(deletes)
                .extracting(PlanAction::kind)
                .containsExactly(
                        ResourceKind.DB_INSTANCE,
                        ResourceKind.SECRET,
                        ResourceKind.DB_SUBNET_GROUP,
                        ResourceKind.SECURITY_GROUP);
        // the URL secret now holds the given URL: an update, not a delete
        assertThat(plan.actions())
                .anyMatch(a -> a instanceof PlanAction.Update && a.name().equals("gust/p/database-url"));
    }

    @Test
    void teardownDeletesInReverseCreationOrderWithinAndAcrossKinds() {
        List<Existing> existing =
                desired().stream().map(r -> asExisting(r, r.fingerprint())).toList();
        Plan plan = Planner.teardown(existing);
        assertThat(plan.actions()).allMatch(a -> a instanceof PlanAction.Delete);
        List<String> order =
                plan.actions().stream().map(a -> a.kind() + "/" + a.name()).toList();
        // the dashboard and the alarms refer to everything else: they go first, then the services
        assertThat(order.get(0)).startsWith("DASHBOARD/");
        assertThat(order.stream().filter(key -> !key.startsWith("DASHBOARD/") && !key.startsWith("ALARM/")))
                .first()
                .asString()
                .startsWith("SERVICE/");
        assertThat(order.get(order.size() - 1)).isEqualTo("REPOSITORY/gust-p");
        // the database group refers to the tasks group, which refers to the ALB group
        assertThat(order.indexOf("SECURITY_GROUP/gust-p-db")).isLessThan(order.indexOf("SECURITY_GROUP/gust-p-tasks"));
        assertThat(order.indexOf("SECURITY_GROUP/gust-p-tasks")).isLessThan(order.indexOf("SECURITY_GROUP/gust-p-alb"));
        assertThat(order.indexOf("LISTENER/gust-p-http")).isLessThan(order.indexOf("LOAD_BALANCER/gust-p"));
        assertThat(order.indexOf("LOAD_BALANCER/gust-p")).isLessThan(order.indexOf("SECURITY_GROUP/gust-p-alb"));
    }

    /**
     * Property: for any subset of the desired resources existing with any fingerprint (right,
     * wrong, missing) plus leftovers nobody wants, each desired resource gets exactly one action of
     * the right type, leftovers are deleted, deletes come last, in non-increasing kind order, and
     * applying the plan (simulated) gives a state whose plan has no changes.
     */
    @Test
    void anyExistingStatePlansToTheDesiredOne() {
        List<Resource> desired = desired();
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            List<Existing> existing = new ArrayList<>();
            for (Resource r : desired) {
                switch (random.nextInt(4)) {
                    case 0 -> {}
                    case 1 -> existing.add(asExisting(r, r.fingerprint()));
                    case 2 -> existing.add(asExisting(r, "stale"));
                    default -> existing.add(asExisting(r, null));
                }
            }
            Set<String> leftovers = new HashSet<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                ResourceKind kind = ResourceKind.values()[random.nextInt(ResourceKind.values().length)];
                Existing extra = new Existing(kind, "leftover-" + i, "id", "x");
                existing.add(extra);
                leftovers.add(extra.key());
            }
            Plan plan = Planner.plan(desired, existing);

            assertThat(plan.actions()).hasSize(desired.size() + leftovers.size());
            for (PlanAction action : plan.actions()) {
                switch (action) {
                    case PlanAction.Create c ->
                        assertThat(existing)
                                .noneMatch(e -> e.key().equals(c.desired().key()));
                    case PlanAction.NoChange n ->
                        assertThat(n.existing().fingerprint())
                                .isEqualTo(n.desired().fingerprint());
                    case PlanAction.Update u ->
                        assertThat(u.existing().fingerprint())
                                .isNotEqualTo(u.desired().fingerprint());
                    case PlanAction.Delete d ->
                        assertThat(leftovers).contains(d.existing().key());
                }
            }
            List<PlanAction> deletes =
                    plan.actions().subList(desired.size(), plan.actions().size());
            assertThat(deletes).allMatch(a -> a instanceof PlanAction.Delete);
            for (int i = 1; i < deletes.size(); i++) {
                assertThat(deletes.get(i).kind().ordinal())
                        .isLessThanOrEqualTo(deletes.get(i - 1).kind().ordinal());
            }
            List<Existing> after =
                    desired.stream().map(r -> asExisting(r, r.fingerprint())).toList();
            assertThat(Planner.plan(desired, after).hasChanges()).isFalse();
        }
    }
}
