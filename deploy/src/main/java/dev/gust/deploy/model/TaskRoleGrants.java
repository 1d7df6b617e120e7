package dev.gust.deploy.model;

import dev.gust.deploy.DeployException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What deploy.yaml's {@code iam} section adds to the task role, beyond what Gust itself needs:
 * inline statements (checked here, so a malformed one is a one-line error naming its index and key
 * before anything is made, not a MalformedPolicyDocument halfway through {@code up}), managed
 * policies by ARN, and for {@code ecs_run_task} tasks the right to run the listed task
 * definitions (in any cluster), follow and stop them, and pass them the listed roles.
 */
public final class TaskRoleGrants {

    private static final Set<String> STATEMENT_KEYS =
            Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Pattern ACTION = Pattern.compile("\\*|[a-z0-9-]+:[A-Za-z0-9*?]+");
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]*");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(aws|\\d{12}):policy/.+");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/.+");
    private static final Pattern TASK_DEFINITION_ARN =
            Pattern.compile("arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:task-definition/[A-Za-z0-9_-]+(:(\\d+|\\*))?");
    /** IAM's default quota of managed policies per role. */
    static final int MAX_MANAGED_POLICIES = 10;

    private TaskRoleGrants() {}

    static void validate(DeployConfig.Iam iam) {
        if (iam.taskRolePolicyArns().size() > MAX_MANAGED_POLICIES) {
            throw new DeployException("deploy.yaml: iam.task_role_policy_arns has "
                    + iam.taskRolePolicyArns().size()
                    + " policies; IAM attaches at most " + MAX_MANAGED_POLICIES
                    + " to a role: merge some into iam.task_role_statements");
        }
        for (int i = 0; i < iam.taskRolePolicyArns().size(); i++) {
            requireMatch(
                    POLICY_ARN,
                    iam.taskRolePolicyArns().get(i),
                    "iam.task_role_policy_arns[" + i + "]",
                    "a managed policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)");
        }
        for (int i = 0; i < iam.ecsRunTaskDefinitions().size(); i++) {
            requireMatch(
                    TASK_DEFINITION_ARN,
                    iam.ecsRunTaskDefinitions().get(i),
                    "iam.ecs_run_task_definitions[" + i + "]",
                    "a task definition ARN (arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY[:REVISION|:*])");
        }
        for (int i = 0; i < iam.ecsRunTaskRoles().size(); i++) {
            requireMatch(
                    ROLE_ARN,
                    iam.ecsRunTaskRoles().get(i),
                    "iam.ecs_run_task_roles[" + i + "]",
                    "a role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
        }
        if (!iam.ecsRunTaskRoles().isEmpty() && iam.ecsRunTaskDefinitions().isEmpty()) {
            throw new DeployException("deploy.yaml: iam.ecs_run_task_roles are passed to the task definitions in"
                    + " iam.ecs_run_task_definitions, which is empty");
        }
        for (int i = 0; i < iam.taskRoleStatements().size(); i++) {
            validateStatement(iam.taskRoleStatements().get(i), "iam.task_role_statements[" + i + "]");
        }
    }

    private static void validateStatement(Map<String, Object> statement, String where) {
        if (statement == null) {
            throw new DeployException("deploy.yaml: " + where + " is empty: give Effect, Action and Resource");
        }
        for (String key : statement.keySet()) {
            if (!STATEMENT_KEYS.contains(key)) {
                throw new DeployException("deploy.yaml: " + where + "." + key + " is not a statement key of a role"
                        + " policy (Sid, Effect, Action or NotAction, Resource or NotResource, Condition)");
            }
        }
        Object effect = statement.get("Effect");
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new DeployException("deploy.yaml: " + where + ".Effect must be Allow or Deny (got " + effect + ")");
        }
        if (statement.get("Sid") != null
                && !SID.matcher(String.valueOf(statement.get("Sid"))).matches()) {
            throw new DeployException("deploy.yaml: " + where + ".Sid may hold only letters and digits");
        }
        String actionKey = oneOf(statement, "Action", "NotAction", where);
        for (String action : strings(statement.get(actionKey), where + "." + actionKey)) {
            if (!ACTION.matcher(action).matches()) {
                throw new DeployException("deploy.yaml: " + where + "." + actionKey + " '" + action
                        + "' is not an action (service:Action, e.g. s3:GetObject; * wildcards allowed)");
            }
        }
        String resourceKey = oneOf(statement, "Resource", "NotResource", where);
        for (String resource : strings(statement.get(resourceKey), where + "." + resourceKey)) {
            if (!resource.equals("*") && !resource.startsWith("arn:")) {
                throw new DeployException("deploy.yaml: " + where + "." + resourceKey + " '" + resource
                        + "' is not an ARN (arn:...) or *");
            }
        }
        Object condition = statement.get("Condition");
        if (condition != null && !(condition instanceof Map)) {
            throw new DeployException("deploy.yaml: " + where + ".Condition must be a mapping of operators");
        }
    }

    private static String oneOf(Map<String, Object> statement, String key, String negated, String where) {
        boolean has = statement.get(key) != null;
        boolean hasNegated = statement.get(negated) != null;
        if (has == hasNegated) {
            throw new DeployException(
                    "deploy.yaml: " + where + " needs " + key + " (or " + negated + "), exactly one of them");
        }
        return has ? key : negated;
    }

    /** A string or a non-empty list of strings. */
    private static List<String> strings(Object value, String where) {
        if (value instanceof String text && !text.isBlank()) {
            return List.of(text);
        }
        if (value instanceof List<?> list
                && !list.isEmpty()
                && list.stream().allMatch(v -> v instanceof String text && !text.isBlank())) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new DeployException("deploy.yaml: " + where + " must be a string or a non-empty list of strings");
    }

    private static void requireMatch(Pattern pattern, String value, String where, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new DeployException("deploy.yaml: " + where + " '" + value + "' is not " + what);
        }
    }

    /** The statements deploy.yaml adds to the task role's inline policy, after Gust's own. */
    static List<Map<String, Object>> statements(DeployConfig.Iam iam, Account account) {
        List<Map<String, Object>> statements = new ArrayList<>();
        if (!iam.ecsRunTaskDefinitions().isEmpty()) {
            statements.add(statement(
                    "RunListedTasks",
                    List.of("ecs:RunTask"),
                    iam.ecsRunTaskDefinitions().stream()
                            .map(arn -> arn.matches(".*:\\d+|.*:\\*") ? arn : arn + ":*")
                            .toList()));
            // ecs_run_task follows, stops and (with reattach) finds the tasks it started, in any cluster
            statements.add(statement(
                    "FollowListedTasks",
                    List.of("ecs:DescribeTasks", "ecs:StopTask"),
                    List.of(account.arn("ecs", "task/*"))));
            statements.add(statement(
                    "FindListedTasks", List.of("ecs:ListTasks"), List.of(account.arn("ecs", "container-instance/*"))));
        }
        if (!iam.ecsRunTaskRoles().isEmpty()) {
            Map<String, Object> pass = statement("PassListedRoles", List.of("iam:PassRole"), iam.ecsRunTaskRoles());
            pass.put("Condition", Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));
            statements.add(pass);
        }
        for (int i = 0; i < iam.taskRoleStatements().size(); i++) {
            Map<String, Object> given = new LinkedHashMap<>();
            given.put("Sid", "DeployYaml" + i);
            given.putAll(iam.taskRoleStatements().get(i));
            statements.add(given);
        }
        return statements;
    }

    private static Map<String, Object> statement(String sid, List<String> actions, List<String> resources) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        statement.put("Action", actions);
        statement.put("Resource", resources);
        return statement;
    }
}
