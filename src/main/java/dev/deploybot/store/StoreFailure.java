package dev.deploybot.store;

import java.sql.SQLException;

/** The database failed; carries the statement (never its parameters, which may hold user input). */
public class StoreFailure extends RuntimeException {
    StoreFailure(String sql, SQLException cause) {
        super("store statement failed (" + cause.getSQLState() + "): " + sql.strip().split("\\s+", 3)[0] + " ...", cause);
    }
}
