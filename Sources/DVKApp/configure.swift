import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOCore
import Vapor

/// Sets up the database, migrations, commands and routes. Runs the migrations before
/// any command, so every command finds the schema it needs.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.storage[AppConfigKey.self] = config
    // SQLite's queries (and bcrypt) run on this pool: with one thread a core, a write
    // transaction's statements queue behind every read of every request.
    app.threadPool = NIOThreadPool(numberOfThreads: 8)
    // No client needs to send compressed bodies; a body is what it costs on the wire.
    app.http.server.configuration.requestDecompression = .disabled
    JSONCoding.useForContent()
    switch config.database {
    case .sqliteFile(let path):
        app.databases.use(DVKSQLiteConfiguration(SQLiteConfiguration(storage: .file(path: path))), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(DVKSQLiteConfiguration(SQLiteConfiguration(storage: .memory)), as: .sqlite)
    case .postgres(let url):
        let pg = try SQLPostgresConfiguration(url: url)
        app.databases.use(.postgres(configuration: pg, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
    }
    let inFlight = app.useGracefulShutdown()
    if let mail = config.mail {
        // After the graceful shutdown, so that it stops (in reverse order) before requests drain.
        let sender = MailSender(settings: mail)
        app.mailSender = sender
        app.lifecycle.use(sender)
    }
    if let host = config.metrics.host {
        app.lifecycle.use(MetricsListener(host: host, port: config.metrics.port))
    }
    if config.libraryRateLimit > 0 {
        app.libraryLimiter = RateLimiter(perMinute: config.libraryRateLimit, burst: max(1, config.libraryRateLimit / 4))
    }
    if config.loginRateLimit > 0 {
        app.loginLimiter = RateLimiter(perMinute: config.loginRateLimit, burst: max(1, config.loginRateLimit / 4))
        app.forgotLimiter = RateLimiter(perMinute: config.loginRateLimit, burst: max(1, config.loginRateLimit / 4))
    }
    Migrations.register(on: app)
    // `dvk migrate` runs them itself, to say which it ran.
    if app.environment.arguments.dropFirst().first == "migrate" {
        try await Migrations.refuseNewerSchema(on: app.db)
    } else {
        try await Migrations.run(on: app)
    }
    // WAL for every SQLite database, the "in-memory" one too (a temporary file, shared by
    // the connections): the tests then read as a server does (`ReadSnapshot` begins only in WAL).
    if !config.database.isPostgres {
        try await SQLiteTuning.apply(on: app.db)
    }
    if !config.auditTrail, app.environment.arguments.dropFirst().first == "serve" {
        try await AuditTrail.switchOff(at: app.clock.now(), on: app.db, logger: app.logger)
    }
    Commands.register(on: app)
    try routes(app, inFlight: inFlight)
}

struct AppConfigKey: StorageKey {
    typealias Value = AppConfig
}

extension Application {
    var dvkConfig: AppConfig { storage[AppConfigKey.self] ?? AppConfig(database: .sqliteMemory) }
    /// Email is set up: workflow steps write their messages to the outbox.
    var sendsMail: Bool { dvkConfig.mail != nil }
}
