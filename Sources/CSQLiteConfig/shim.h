// sqlite3_db_config takes variable arguments, which Swift cannot call: the one setting DVK
// makes through it, as a plain function. The symbol is SQLiteNIO's (its build prefixes
// SQLite's names with sqlite_nio_).
#ifndef DVK_SQLITE_CONFIG_H
#define DVK_SQLITE_CONFIG_H

struct sqlite3;
int sqlite_nio_sqlite3_db_config(struct sqlite3 *, int op, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG: the query planner's plan no longer depends on the values
// bound, so a kept statement is never prepared again because a bound value changed.
static inline int dvk_sqlite3_stable_plans(void *db) {
    int set = 0;
    return sqlite_nio_sqlite3_db_config((struct sqlite3 *)db, 1007, 1, &set);
}

#endif
