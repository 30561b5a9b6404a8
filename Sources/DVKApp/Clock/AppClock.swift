import Foundation
import Synchronization
import Vapor

/// What time it is, asked in one place. Every store, page model, mail run and command
/// takes `now` from the application's clock: live in production, pinned or moved by tests
/// (before, at and after a deadline). The only `Date()` of the app is the live clock's.
///
/// Cookies say how long they live with Max-Age, never with an instant from this clock:
/// the browser counts by its own.
struct AppClock: Sendable {
    private let read: @Sendable () -> Date

    init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    func now() -> Date { read() }

    /// The wall clock.
    static let live = AppClock { Date() }

    /// Always the same instant.
    static func fixed(_ instant: Date) -> AppClock { AppClock { instant } }

    /// A clock a test sets and moves.
    static func manual(_ hand: Hand) -> AppClock { AppClock { hand.now } }

    /// The hand of a manual clock.
    final class Hand: Sendable {
        private let instant: Mutex<Date>

        init(_ start: Date) { instant = Mutex(start) }

        var now: Date { instant.withLock { $0 } }

        func set(_ date: Date) { instant.withLock { $0 = date } }

        func advance(by seconds: TimeInterval) { instant.withLock { $0 += seconds } }
    }
}

private struct AppClockKey: StorageKey { typealias Value = AppClock }

extension Application {
    /// The clock every part of the app asks (`.live` unless a test set another).
    var clock: AppClock {
        get { storage[AppClockKey.self] ?? .live }
        set { storage[AppClockKey.self] = newValue }
    }
}

extension Request {
    /// The application clock's now: the instant a request's rules are judged at.
    var now: Date { application.clock.now() }
}
