import DVKCore
import Foundation
import Synchronization
import Vapor

/// A per-address allowance of anonymous requests (the public library), as a token bucket:
/// `perMinute` requests a minute, up to `burst` at once. Past it the answer is 429 with
/// `Retry-After`. Signed-in people are not counted. Per process: behind several servers,
/// the allowance is per server. The table of addresses is bounded: when it is full, the
/// addresses not seen for a minute go, and if none has, new addresses share one bucket.
final class RateLimiter: Sendable {
    let perMinute: Int
    let burst: Int
    static let maxAddresses = 100_000

    private struct Bucket { var tokens: Double; var at: ContinuousClock.Instant }
    private let buckets = Mutex<[String: Bucket]>([:])
    /// The monotonic clock the buckets refill by (a test holds it still).
    private let clock: @Sendable () -> ContinuousClock.Instant

    init(perMinute: Int, burst: Int, clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.perMinute = perMinute
        self.burst = burst
        self.clock = clock
    }

    /// Takes one request of `address`'s allowance; nil when allowed, else the seconds to wait.
    func take(_ address: String, now given: ContinuousClock.Instant? = nil) -> Int? {
        let now = given ?? clock()
        let rate = Double(perMinute) / 60
        return buckets.withLock { table -> Int? in
            var key = address
            if table[key] == nil, table.count >= Self.maxAddresses {
                table = table.filter { now - $0.value.at < .seconds(60) }
                if table.count >= Self.maxAddresses { key = "" }
            }
            var bucket = table[key] ?? Bucket(tokens: Double(burst), at: now)
            let elapsed = now - bucket.at
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(burst), bucket.tokens + seconds * rate)
            bucket.at = now
            defer { table[key] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}

/// Applies the library's `RateLimiter` (`DVK_LIBRARY_RATE_LIMIT`) to anonymous requests.
struct AnonymousRateLimitMiddleware: LoopMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.currentUser == nil, let limiter = request.application.libraryLimiter,
           let wait = limiter.take(request.clientAddress) {
            throw RateLimited(retryAfter: wait)
        }
        return try await next.respond(to: request)
    }
}

extension Application {
    private struct LibraryLimiterKey: StorageKey { typealias Value = RateLimiter }
    private struct LoginLimiterKey: StorageKey { typealias Value = RateLimiter }

    /// Sign-in attempts per address (`DVK_LOGIN_RATE_LIMIT`); nil: off.
    var loginLimiter: RateLimiter? {
        get { storage[LoginLimiterKey.self] }
        set { storage[LoginLimiterKey.self] = newValue }
    }

    private struct ForgotLimiterKey: StorageKey { typealias Value = RateLimiter }

    /// "Quên mật khẩu?" requests per address, at the sign-in's rate; nil: off.
    var forgotLimiter: RateLimiter? {
        get { storage[ForgotLimiterKey.self] }
        set { storage[ForgotLimiterKey.self] = newValue }
    }

    /// The public library's allowance per address, made once from the configuration; nil: off.
    var libraryLimiter: RateLimiter? {
        get { storage[LibraryLimiterKey.self] }
        set { storage[LibraryLimiterKey.self] = newValue }
    }
}

struct RateLimited: AbortError {
    var retryAfter: Int
    var status: HTTPResponseStatus { .tooManyRequests }
    var reason: String { "Có quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau \(retryAfter) giây." }
    var headers: HTTPHeaders { [HTTPHeaders.Name.retryAfter.description: String(retryAfter)] }
}
