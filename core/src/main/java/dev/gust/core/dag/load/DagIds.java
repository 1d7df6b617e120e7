package dev.gust.core.dag.load;

/**
 * Airflow's rule for DAG and task ids: letters, digits, '-', '_' and '.', at most 250
 * characters. Checked by hand because it runs for every id of every file on each load.
 */
final class DagIds {

    static final int MAX_LENGTH = 250;

    private DagIds() {}

    /** Null when the id is valid, otherwise why it is not. */
    static String problem(String kind, String id) {
        if (id.isEmpty()) {
            return kind + " must not be empty";
        }
        if (id.length() > MAX_LENGTH) {
            return kind + " '" + id.substring(0, 40) + "...' is " + id.length() + " characters long; the limit is "
                    + MAX_LENGTH;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == '.';
            if (!ok) {
                return kind + " '" + id + "' contains '" + c
                        + "'; ids may only contain letters, digits, '-', '_' and '.'";
            }
        }
        return null;
    }
}
