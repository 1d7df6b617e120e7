package dev.gust.deploy.plan;

import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;

/** What {@code up} does to one resource. */
public sealed interface PlanAction {

    ResourceKind kind();

    String name();

    /** An action on a desired resource, which names it. */
    sealed interface OfDesired extends PlanAction {

        Resource desired();

        @Override
        default ResourceKind kind() {
            return desired().kind();
        }

        @Override
        default String name() {
            return desired().name();
        }
    }

    /** The resource does not exist: create it. */
    record Create(Resource desired) implements OfDesired {}

    /** The resource exists with another spec (or an unfinished one): bring it to the desired spec. */
    record Update(Resource desired, Existing existing) implements OfDesired {}

    /** The resource exists and is not desired any more (for instance the RDS instance after switching to a given URL). */
    record Delete(Existing existing) implements PlanAction {
        public ResourceKind kind() {
            return existing.kind();
        }

        public String name() {
            return existing.name();
        }
    }

    /** The resource exists as desired. */
    record NoChange(Resource desired, Existing existing) implements OfDesired {}

    default String symbol() {
        return switch (this) {
            case Create c -> "+";
            case Update u -> "~";
            case Delete d -> "-";
            case NoChange n -> "=";
        };
    }
}
