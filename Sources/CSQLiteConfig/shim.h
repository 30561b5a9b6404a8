// What DVK sets in SQLite that Swift cannot reach: a function of variable arguments, and a
// file layer (VFS) of C callbacks. The symbols are SQLiteNIO's (its build prefixes SQLite's
// names with sqlite_nio_).
#ifndef DVK_SQLITE_CONFIG_H
#define DVK_SQLITE_CONFIG_H

#include <stdlib.h>
#include <string.h>
#include <sqlite_nio_sqlite3.h>

// SQLITE_DBCONFIG_ENABLE_QPSG: the query planner's plan no longer depends on the values
// bound, so a kept statement is never prepared again because a bound value changed.
static inline int dvk_sqlite3_stable_plans(void *db) {
    int set = 0;
    return sqlite_nio_sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, &set);
}

// ---------------------------------------------------------------------------------------
// The page cache: SQLite's own (pcache1), except that truncating a cache to the database's
// size is skipped when no page past that size can be in it.
//
// Every transaction ends by truncating its connection's cache to the database's size
// (`pager_end_transaction`). pcache1 remembers the highest page number it has held since the
// last truncation, and when that number is farther past the size than its hash table has
// buckets, the truncation walks every bucket (16,384 in the writer's 64 MiB cache). A
// B-tree balance that swaps two pages parks one of them for a moment at the number of the
// lock-byte page, which no data page ever has (262,145 with 4 KiB pages): after every such
// balance, pcache1 walked the whole table at the commit. On deadline day that was 7.6 % of
// the writer thread's samples (`scripts/rush --perf`).
//
// Here each cache also keeps the highest number it may hold, as pcache1 does, except that a
// page parked at the lock-byte page's number counts only while it is there. The kept number
// is never lower than a page held (a page is only added by a fetch or a renumbering, both
// seen here), so a truncation skipped is one that had no page to remove.

typedef struct dvk_pcache {
    sqlite3_pcache *inner;
    // The lock-byte page's number for this cache's page size.
    unsigned parking;
    // No page above it, pages parked at `parking` apart.
    unsigned highest;
    // Pages renumbered to `parking` and not yet away from it.
    int parked;
} dvk_pcache;

static sqlite3_pcache_methods2 dvk_pcache_system = {0};
// Truncations skipped, and passed to pcache1 (read by the tests).
static sqlite3_int64 dvk_pcache_skips = 0;
static sqlite3_int64 dvk_pcache_passes = 0;

static inline int dvk_pcache_init(void *arg) {
    (void)arg;
    return dvk_pcache_system.xInit ? dvk_pcache_system.xInit(dvk_pcache_system.pArg) : SQLITE_OK;
}
static inline void dvk_pcache_shutdown(void *arg) {
    (void)arg;
    if (dvk_pcache_system.xShutdown) dvk_pcache_system.xShutdown(dvk_pcache_system.pArg);
}
static inline sqlite3_pcache *dvk_pcache_create(int page, int extra, int purgeable) {
    dvk_pcache *cache = (dvk_pcache *)calloc(1, sizeof(dvk_pcache));
    if (cache == NULL) return NULL;
    cache->inner = dvk_pcache_system.xCreate(page, extra, purgeable);
    if (cache->inner == NULL) {
        free(cache);
        return NULL;
    }
    // SQLite's PENDING_BYTE (1 GiB), whose page `balance_nonroot` parks pages at.
    cache->parking = page > 0 ? (unsigned)(0x40000000 / page) + 1 : 0;
    return (sqlite3_pcache *)cache;
}
static inline void dvk_pcache_cachesize(sqlite3_pcache *p, int pages) {
    dvk_pcache_system.xCachesize(((dvk_pcache *)p)->inner, pages);
}
static inline int dvk_pcache_pagecount(sqlite3_pcache *p) {
    return dvk_pcache_system.xPagecount(((dvk_pcache *)p)->inner);
}
static inline sqlite3_pcache_page *dvk_pcache_fetch(sqlite3_pcache *p, unsigned key, int create) {
    dvk_pcache *cache = (dvk_pcache *)p;
    sqlite3_pcache_page *page = dvk_pcache_system.xFetch(cache->inner, key, create);
    if (page != NULL && key > cache->highest) cache->highest = key;
    return page;
}
static inline void dvk_pcache_unpin(sqlite3_pcache *p, sqlite3_pcache_page *page, int discard) {
    dvk_pcache_system.xUnpin(((dvk_pcache *)p)->inner, page, discard);
}
static inline void dvk_pcache_rekey(sqlite3_pcache *p, sqlite3_pcache_page *page, unsigned from, unsigned to) {
    dvk_pcache *cache = (dvk_pcache *)p;
    dvk_pcache_system.xRekey(cache->inner, page, from, to);
    if (from == cache->parking && cache->parked > 0) cache->parked -= 1;
    if (to == cache->parking) {
        cache->parked += 1;
    } else if (to > cache->highest) {
        cache->highest = to;
    }
}
static inline void dvk_pcache_truncate(sqlite3_pcache *p, unsigned limit) {
    dvk_pcache *cache = (dvk_pcache *)p;
    unsigned top = cache->parked > 0 && cache->parking > cache->highest ? cache->parking : cache->highest;
    if (limit > top) {
        __atomic_add_fetch(&dvk_pcache_skips, 1, __ATOMIC_RELAXED);
        return;
    }
    dvk_pcache_system.xTruncate(cache->inner, limit);
    __atomic_add_fetch(&dvk_pcache_passes, 1, __ATOMIC_RELAXED);
    if (limit == 0) {
        cache->highest = 0;
    } else if (cache->highest >= limit) {
        cache->highest = limit - 1;
    }
    if (cache->parking >= limit) cache->parked = 0;
}
static inline void dvk_pcache_destroy(sqlite3_pcache *p) {
    dvk_pcache *cache = (dvk_pcache *)p;
    dvk_pcache_system.xDestroy(cache->inner);
    free(cache);
}
static inline void dvk_pcache_shrink(sqlite3_pcache *p) {
    if (dvk_pcache_system.xShrink) dvk_pcache_system.xShrink(((dvk_pcache *)p)->inner);
}

// Puts this cache in front of SQLite's own, for every connection of the process. SQLite
// takes it only before it is initialised (before any connection opens or any layer is
// registered): SQLITE_OK, or SQLITE_MISUSE after. Called once.
static inline int dvk_pcache_install(void) {
    static sqlite3_pcache_methods2 methods;
    int status = sqlite_nio_sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &dvk_pcache_system);
    if (status != SQLITE_OK) return status;
    if (dvk_pcache_system.xCreate == NULL || dvk_pcache_system.xTruncate == NULL || dvk_pcache_system.xRekey == NULL) return SQLITE_ERROR;
    methods = (sqlite3_pcache_methods2){
        .iVersion = dvk_pcache_system.iVersion, .pArg = NULL, .xInit = dvk_pcache_init, .xShutdown = dvk_pcache_shutdown,
        .xCreate = dvk_pcache_create, .xCachesize = dvk_pcache_cachesize, .xPagecount = dvk_pcache_pagecount,
        .xFetch = dvk_pcache_fetch, .xUnpin = dvk_pcache_unpin, .xRekey = dvk_pcache_rekey, .xTruncate = dvk_pcache_truncate,
        .xDestroy = dvk_pcache_destroy, .xShrink = dvk_pcache_shrink,
    };
    return sqlite_nio_sqlite3_config(SQLITE_CONFIG_PCACHE2, &methods);
}

static inline sqlite3_int64 dvk_pcache_skipped(void) { return __atomic_load_n(&dvk_pcache_skips, __ATOMIC_RELAXED); }
static inline sqlite3_int64 dvk_pcache_passed(void) { return __atomic_load_n(&dvk_pcache_passes, __ATOMIC_RELAXED); }

// ---------------------------------------------------------------------------------------
// "dvk-wal": the system's file layer, except that a connection's writes to its
// write-ahead log are gathered and reach the file in one write a commit.
//
// SQLite writes each frame of a commit as two calls (its 24-byte header, then the page),
// and on deadline day the system call of each was a sixth of the writer thread's time.
// Here the writes of a log are kept in one buffer while they follow each other, and
// written out:
//   - right after the page of a commit frame (a frame header whose second word, the
//     database's size after the commit, is not zero): inside the write that completes the
//     commit, before SQLite publishes the new frames to other connections (the log's index
//     in shared memory, which SQLite updates after these writes return), and with that
//     write's error if it fails, so a commit that cannot be written fails as before;
//   - before anything reads, syncs, sizes, truncates, controls or closes the log;
//   - when a write does not follow the buffer or does not fit in it.
// A frame not yet written is one of a transaction not yet committed (a spilled page) or
// part of a commit in progress: a killed process loses only what it had not committed.
// The database file itself, and every other file, is the system layer's own, untouched.

#define DVK_WAL_BUFFER (1 << 20)
// The most the system layer writes in one call (it masks a length to 17 bits).
#define DVK_WAL_WRITE_MAX 0x1F000

typedef struct dvk_wal_file {
    sqlite3_file base;          // pMethods: dvk_wal_methods (a log) or the system's (any other)
    sqlite3_file *real;         // the system layer's file, stored after this struct
    unsigned char *buffer;      // the writes not yet made, at `start` in the file
    sqlite3_int64 start;
    int length;
    int commit_pending;         // a commit frame's header is in the buffer, its page to come
} dvk_wal_file;

// Counters for the tests: writes gathered, and writes made to logs.
static sqlite3_int64 dvk_wal_gathered = 0;
static sqlite3_int64 dvk_wal_written = 0;

static inline sqlite3_vfs *dvk_wal_system(sqlite3_vfs *vfs) { return (sqlite3_vfs *)vfs->pAppData; }

// Writes `amount` bytes at `offset` through the system layer, in pieces it takes whole.
static inline int dvk_wal_put(dvk_wal_file *f, const unsigned char *bytes, int amount, sqlite3_int64 offset) {
    while (amount > 0) {
        int piece = amount < DVK_WAL_WRITE_MAX ? amount : DVK_WAL_WRITE_MAX;
        int rc = f->real->pMethods->xWrite(f->real, bytes, piece, offset);
        __atomic_fetch_add(&dvk_wal_written, 1, __ATOMIC_RELAXED);
        if (rc != SQLITE_OK) return rc;
        bytes += piece;
        amount -= piece;
        offset += piece;
    }
    return SQLITE_OK;
}

static inline int dvk_wal_flush(dvk_wal_file *f) {
    if (f->length == 0) return SQLITE_OK;
    int rc = dvk_wal_put(f, f->buffer, f->length, f->start);
    // Written or not, these bytes are spent: after an error SQLite rolls the transaction back
    // and writes its frames again.
    f->length = 0;
    f->commit_pending = 0;
    return rc;
}

static inline int dvk_wal_close(sqlite3_file *file) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    int flushed = dvk_wal_flush(f);
    int rc = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    free(f->buffer);
    f->buffer = NULL;
    return flushed != SQLITE_OK ? flushed : rc;
}

static inline int dvk_wal_read(sqlite3_file *file, void *out, int amount, sqlite3_int64 offset) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    int rc = dvk_wal_flush(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xRead(f->real, out, amount, offset);
}

static inline int dvk_wal_write(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    if (amount <= 0) return SQLITE_OK;
    const unsigned char *bytes = (const unsigned char *)data;
    int rc = SQLITE_OK;
    if (f->length > 0 && offset >= f->start && offset + amount <= f->start + f->length) {
        // Over bytes still in the buffer (SQLite rewrites a frame of the same transaction).
        memcpy(f->buffer + (offset - f->start), bytes, (size_t)amount);
    } else if (f->length > 0 && offset == f->start + f->length && f->length + amount <= DVK_WAL_BUFFER) {
        memcpy(f->buffer + f->length, bytes, (size_t)amount);
        f->length += amount;
    } else {
        rc = dvk_wal_flush(f);
        if (rc != SQLITE_OK) return rc;
        if (amount > DVK_WAL_BUFFER) return dvk_wal_put(f, bytes, amount, offset);
        memcpy(f->buffer, bytes, (size_t)amount);
        f->start = offset;
        f->length = amount;
    }
    __atomic_fetch_add(&dvk_wal_gathered, 1, __ATOMIC_RELAXED);
    if (f->commit_pending) {
        // The commit frame's page: the commit's frames go to the file now.
        return dvk_wal_flush(f);
    }
    // A frame's header (24 bytes) whose second big-endian word is not zero: a commit frame.
    if (amount == 24 && (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0) f->commit_pending = 1;
    return SQLITE_OK;
}

static inline int dvk_wal_truncate(sqlite3_file *file, sqlite3_int64 size) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    int rc = dvk_wal_flush(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xTruncate(f->real, size);
}

static inline int dvk_wal_sync(sqlite3_file *file, int flags) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    int rc = dvk_wal_flush(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xSync(f->real, flags);
}

static inline int dvk_wal_size(sqlite3_file *file, sqlite3_int64 *size) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    int rc = dvk_wal_flush(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFileSize(f->real, size);
}

static inline int dvk_wal_lock(sqlite3_file *file, int level) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    return f->real->pMethods->xLock(f->real, level);
}

static inline int dvk_wal_unlock(sqlite3_file *file, int level) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    return f->real->pMethods->xUnlock(f->real, level);
}

static inline int dvk_wal_reserved(sqlite3_file *file, int *out) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static inline int dvk_wal_control(sqlite3_file *file, int op, void *arg) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    int rc = dvk_wal_flush(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

static inline int dvk_wal_sector(sqlite3_file *file) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static inline int dvk_wal_device(sqlite3_file *file) {
    dvk_wal_file *f = (dvk_wal_file *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

// A log is never mapped nor shared-memory: version 1 of the methods, which has neither.
static const sqlite3_io_methods dvk_wal_methods = {
    1, dvk_wal_close, dvk_wal_read, dvk_wal_write, dvk_wal_truncate, dvk_wal_sync, dvk_wal_size,
    dvk_wal_lock, dvk_wal_unlock, dvk_wal_reserved, dvk_wal_control, dvk_wal_sector, dvk_wal_device,
    0, 0, 0, 0, 0, 0,
};

static inline int dvk_wal_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out) {
    sqlite3_vfs *system = dvk_wal_system(vfs);
    if ((flags & SQLITE_OPEN_WAL) == 0) {
        // Any other file is the system layer's own, in the same place (this layer's files
        // are larger than its).
        return system->xOpen(system, name, file, flags, out);
    }
    dvk_wal_file *f = (dvk_wal_file *)file;
    memset(f, 0, sizeof(dvk_wal_file));
    f->real = (sqlite3_file *)(f + 1);
    f->buffer = (unsigned char *)malloc(DVK_WAL_BUFFER);
    if (f->buffer == NULL) return SQLITE_NOMEM;
    int rc = system->xOpen(system, name, f->real, flags, out);
    if (rc != SQLITE_OK) {
        // The system layer's failed open needs no close; this one's methods stay unset.
        free(f->buffer);
        f->buffer = NULL;
        return rc;
    }
    f->base.pMethods = &dvk_wal_methods;
    return SQLITE_OK;
}

static inline int dvk_wal_delete(sqlite3_vfs *vfs, const char *name, int sync) {
    sqlite3_vfs *s = dvk_wal_system(vfs); return s->xDelete(s, name, sync);
}
static inline int dvk_wal_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
    sqlite3_vfs *s = dvk_wal_system(vfs); return s->xAccess(s, name, flags, out);
}
static inline int dvk_wal_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out) {
    sqlite3_vfs *s = dvk_wal_system(vfs); return s->xFullPathname(s, name, n, out);
}
static inline void *dvk_wal_dl_open(sqlite3_vfs *vfs, const char *name) {
    sqlite3_vfs *s = dvk_wal_system(vfs); return s->xDlOpen(s, name);
}
static inline void dvk_wal_dl_error(sqlite3_vfs *vfs, int n, char *out) {
    sqlite3_vfs *s = dvk_wal_system(vfs); s->xDlError(s, n, out);
}
static inline void (*dvk_wal_dl_sym(sqlite3_vfs *vfs, void *handle, const char *name))(void) {
    sqlite3_vfs *s = dvk_wal_system(vfs); return s->xDlSym(s, handle, name);
}
static inline void dvk_wal_dl_close(sqlite3_vfs *vfs, void *handle) {
    sqlite3_vfs *s = dvk_wal_system(vfs); s->xDlClose(s, handle);
}
static inline int dvk_wal_randomness(sqlite3_vfs *vfs, int n, char *out) {
    sqlite3_vfs *s = dvk_wal_system(vfs); return s->xRandomness(s, n, out);
}
static inline int dvk_wal_sleep(sqlite3_vfs *vfs, int micros) {
    sqlite3_vfs *s = dvk_wal_system(vfs); return s->xSleep(s, micros);
}
static inline int dvk_wal_time(sqlite3_vfs *vfs, double *out) {
    sqlite3_vfs *s = dvk_wal_system(vfs); return s->xCurrentTime(s, out);
}
static inline int dvk_wal_last_error(sqlite3_vfs *vfs, int n, char *out) {
    sqlite3_vfs *s = dvk_wal_system(vfs); return s->xGetLastError(s, n, out);
}
static inline int dvk_wal_time64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
    sqlite3_vfs *s = dvk_wal_system(vfs); return s->xCurrentTimeInt64(s, out);
}

// Registers "dvk-wal" over the default layer (not as the default): SQLITE_OK, or the error.
// Called once, before any connection names it.
static inline int dvk_wal_register(void) {
    sqlite3_vfs *system = sqlite_nio_sqlite3_vfs_find(NULL);
    if (system == NULL) return SQLITE_ERROR;
    if (sqlite_nio_sqlite3_vfs_find("dvk-wal") != NULL) return SQLITE_OK;
    // Registered for the life of the process: never freed.
    sqlite3_vfs *layer = (sqlite3_vfs *)calloc(1, sizeof(sqlite3_vfs));
    if (layer == NULL) return SQLITE_NOMEM;
    layer->iVersion = 2;
    layer->szOsFile = (int)sizeof(dvk_wal_file) + system->szOsFile;
    layer->mxPathname = system->mxPathname;
    layer->zName = "dvk-wal";
    layer->pAppData = system;
    layer->xOpen = dvk_wal_open;
    layer->xDelete = dvk_wal_delete;
    layer->xAccess = dvk_wal_access;
    layer->xFullPathname = dvk_wal_full_path;
    layer->xDlOpen = dvk_wal_dl_open;
    layer->xDlError = dvk_wal_dl_error;
    layer->xDlSym = dvk_wal_dl_sym;
    layer->xDlClose = dvk_wal_dl_close;
    layer->xRandomness = dvk_wal_randomness;
    layer->xSleep = dvk_wal_sleep;
    layer->xCurrentTime = dvk_wal_time;
    layer->xGetLastError = dvk_wal_last_error;
    layer->xCurrentTimeInt64 = dvk_wal_time64;
    return sqlite_nio_sqlite3_vfs_register(layer, 0);
}

static inline sqlite3_int64 dvk_wal_gathered_writes(void) { return __atomic_load_n(&dvk_wal_gathered, __ATOMIC_RELAXED); }
static inline sqlite3_int64 dvk_wal_file_writes(void) { return __atomic_load_n(&dvk_wal_written, __ATOMIC_RELAXED); }

#endif
