import DVKCore
import Fluent
import FluentKit
import Foundation
import Synchronization
import Vapor

/// What happened to one message in one delivery attempt, for `dvk remind` to print.
struct DeliveryReport: Sendable {
    var id: UUID
    var kind: MailKind
    var to: String
    var outcome: DeliveryOutcome
}

/// The background side of email in `dvk serve`: every few seconds it runs the reminder
/// schedules and the digests that are due, then delivers what the outbox holds. Several
/// servers may run it against one database: runs and messages are each taken by one.
final class MailSender: LifecycleHandler, Sendable {
    let settings: MailSettings
    /// This process, as it names itself on the leases it takes.
    let owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID.random().canonicalText.prefix(8))"
    private let loop = Mutex<Task<Void, Never>?>(nil)
    /// How often the outbox is looked at; schedules are looked at every `scheduleEvery`.
    let interval: Duration
    let scheduleEvery: TimeInterval = 60
    /// SMTP sessions a sender holds open at once.
    static let parallel = 4

    init(settings: MailSettings, interval: Duration = .seconds(2)) {
        self.settings = settings
        self.interval = interval
    }

    // MARK: Lifecycle

    func didBootAsync(_ application: Application) async throws {
        guard Self.isServing(application) else { return }
        let task = Task { [self] in await run(application) }
        loop.withLock { $0 = task }
        application.logger.info("email: sending through \(settings.server) as \(settings.from.address)")
    }

    /// Stops the loop and waits for it to end. Cancelled, it ends at once: a delivery's
    /// replies stop with its task (the stream is cancelled), a connection being opened gives up
    /// within its connect timeout (15 s), and the outcome is recorded before the databases
    /// close (a later record would find them closed). A message left mid-delivery is retried.
    func shutdownAsync(_ application: Application) async {
        guard let task = loop.withLock({ t -> Task<Void, Never>? in defer { t = nil }; return t }) else { return }
        task.cancel()
        await task.value
    }

    /// `dvk serve` (or `dvk` alone, which serves): the other commands send nothing in the
    /// background (`dvk remind` delivers its own messages itself).
    static func isServing(_ app: Application) -> Bool {
        let command = app.environment.arguments.dropFirst().first
        if command == "serve" { return true }
        return app.environment != .testing && (command == nil || command?.hasPrefix("-") == true)
    }

    private func run(_ app: Application) async {
        // How often is counted on the monotonic clock; what is due, by the app clock.
        var lastSchedule: ContinuousClock.Instant?
        while !Task.isCancelled {
            let now = app.clock.now()
            do {
                if lastSchedule.map({ ContinuousClock.now - $0 >= .seconds(scheduleEvery) }) ?? true {
                    lastSchedule = ContinuousClock.now
                    try await ReminderRuns.runDue(at: now, on: app.db, logger: app.logger)
                    try await Digests.runDue(at: now, on: app.db)
                    try await Outbox.forgetOldBodies(at: now, on: app.db)
                }
                while !Task.isCancelled, try await Outbox.hasDue(at: app.clock.now(), on: app.db) {
                    let reports = try await deliverDue(app, at: app.clock.now())
                    if reports.isEmpty { break }
                }
            } catch {
                app.logger.error("email: \(String(describing: error))")
            }
            try? await Task.sleep(for: interval)
        }
    }

    // MARK: Delivery

    /// Takes and delivers the due messages (or exactly `ids`); returns what happened to each.
    func deliverDue(_ app: Application, at now: Date, ids: [UUID]? = nil) async throws -> [DeliveryReport] {
        let rows = try await Outbox.claim(owner: owner, at: now, limit: ids?.count ?? Self.parallel * 2, ids: ids, on: app.db)
        var reports: [DeliveryReport] = []
        // A few SMTP sessions at once: a mail server takes them in parallel, and each waits
        // mostly on the network.
        for batch in rows.chunked(Self.parallel) {
            reports += await withTaskGroup(of: DeliveryReport.self) { group in
                for row in batch { group.addTask { await self.deliver(row, app: app) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        return reports
    }

    private func deliver(_ row: OutboxRow, app: Application) async -> DeliveryReport {
        let attempts = row.attempts + 1
        var to = row.toAddress
        let outcome: DeliveryOutcome
        do {
            var data = row.message
            if data == nil {
                let options = MailComposer.Options(settings: settings, showNationalMotto: app.dvkConfig.showNationalMotto, now: app.clock.now(),
                                                   nationalMottoOnTables: app.dvkConfig.nationalMottoOnTables)
                let composed = row.kind == .digest
                    ? try await Digests.compose(row, options: options, on: app.db)
                    : try await MailComposer.compose(row, options: options, on: app.db)
                let bytes = composed.message.rendered()
                try await Outbox.saveComposed(row.id, message: bytes, subject: composed.message.subject, to: composed.to, on: app.db)
                data = bytes
                to = composed.to.address
            }
            let client = SMTPClient(server: settings.server, group: app.eventLoopGroup)
            let answer = try await client.send(from: settings.from.address, to: to, message: data ?? Data())
            outcome = .sent(answer: answer)
        } catch let error as MailComposer.Unsendable {
            outcome = .failed(answer: error.description, addressRefused: false)
        } catch let error as SMTPError {
            switch error {
            case .transient(let m): outcome = .retry(answer: m)
            case .permanent(let m): outcome = .failed(answer: m, addressRefused: false)
            case .recipientRefused(let m): outcome = .failed(answer: "Máy chủ thư từ chối địa chỉ \(to): \(m)", addressRefused: true)
            }
        } catch {
            outcome = .retry(answer: String(describing: error))
        }
        do {
            try await Outbox.record(row.id, owner: owner, outcome: outcome, attempts: attempts, retryBase: settings.retryBase,
                                    at: app.clock.now(), on: app.db)
        } catch {
            app.logger.error("email: could not record the delivery of \(row.id): \(error)")
        }
        if case .sent = outcome {
            app.logger.info("email: \(row.kind.rawValue) \(row.id) sent to \(to)")
        } else {
            app.logger.warning("email: \(row.kind.rawValue) \(row.id) to \(to): \(outcome)")
        }
        return DeliveryReport(id: row.id, kind: row.kind, to: to, outcome: outcome)
    }
}

extension Application {
    /// The sender, when email is set up.
    var mailSender: MailSender? {
        get { storage[MailSenderKey.self] }
        set { storage[MailSenderKey.self] = newValue }
    }
}

private struct MailSenderKey: StorageKey {
    typealias Value = MailSender
}
